import Link from "next/link";
import { ComposeBox } from "@/components/compose-box";
import { getCurrentUser } from "@/lib/auth/current-user";

export default async function HomePage() {
  const user = await getCurrentUser();
  if (user) {
    return (
      <>
        <h1 className="visually-hidden">Home</h1>
        <ComposeBox />
        <p className="muted home-note">
          Your posts appear on <Link href={`/u/${user.username}`}>your profile</Link>, newest first.
        </p>
      </>
    );
  }
  return (
    <section className="hero" aria-labelledby="hero-title">
      <h1 id="hero-title">Starling</h1>
      <p className="lead">
        An open-source social news feed. Follow people, post short updates, and read a home
        timeline that stays fast and correct from two users to celebrity scale.
      </p>
      <ul className="features">
        <li>
          <strong>Short posts.</strong> Up to 280 characters, counted the way you count them.
        </li>
        <li>
          <strong>A home feed that keeps up.</strong> New posts are pushed to the people who
          follow you within seconds; accounts with millions of followers are merged in as you
          read.
        </li>
        <li>
          <strong>Open all the way down.</strong> A JSON API for every action, and the whole
          stack runs on your own machine with one command.
        </li>
      </ul>
      <p className="hero-actions">
        <Link href="/register" className="button">
          Create an account
        </Link>
        <Link href="/login">Log in</Link>
      </p>
    </section>
  );
}
