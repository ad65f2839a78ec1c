import Link from "next/link";

// Shown with a 403 when a page calls forbidden(): logged in, but not allowed here.
export default function Forbidden() {
  return (
    <section className="card empty-state" aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">Not allowed</h1>
      <p className="muted">Your account isn’t allowed to open this page.</p>
      <p>
        <Link href="/">Go to the home page</Link>
      </p>
    </section>
  );
}
