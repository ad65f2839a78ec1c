import Link from "next/link";

export default function NotFound() {
  return (
    <section className="card empty-state" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Not found</h1>
      <p className="muted">There is nothing here: the address may be mistyped, or the post was deleted.</p>
      <p>
        <Link href="/">Go to the home page</Link>
      </p>
    </section>
  );
}
