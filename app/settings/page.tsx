import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AvatarForm } from "@/components/account/avatar-form";
import { DeleteAccountForm } from "@/components/account/delete-account-form";
import { PasswordForm } from "@/components/account/password-form";
import { ProfileForm } from "@/components/account/profile-form";
import { signOutEverywhereAction } from "@/app/actions/account";
import { getCurrentUser } from "@/lib/auth/current-user";
import { getMe } from "@/lib/users/profile";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const viewer = await getCurrentUser();
  if (!viewer) redirect("/login?next=/settings");
  const me = await getMe(viewer);
  return (
    <section className="card" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <p className="muted">
        Logged in as {me.email}. Your profile: <Link href={`/u/${me.username}`}>@{me.username}</Link>
      </p>
      <h2 className="section-title">Avatar</h2>
      <AvatarForm username={me.username} displayName={me.displayName} avatarUrl={me.avatarUrl} />
      <h2 className="section-title">Profile</h2>
      <ProfileForm displayName={me.displayName} bio={me.bio} />
      <h2 className="section-title">Password</h2>
      <PasswordForm />
      <h2 className="section-title">Sessions</h2>
      <p className="muted">Signs you out on every device and browser, this one included.</p>
      <form action={signOutEverywhereAction}>
        <button type="submit" className="button secondary">
          Sign out everywhere
        </button>
      </form>
      <h2 className="section-title">Delete account</h2>
      <DeleteAccountForm username={me.username} />
    </section>
  );
}
