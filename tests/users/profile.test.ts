// Profiles: lib/users/profile.ts, GET /api/v1/users/{username}, GET and PATCH /api/v1/me.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { GET as getMeRoute, PATCH as patchMe } from "@/app/api/v1/me/route";
import { GET as getUserRoute } from "@/app/api/v1/users/[username]/route";
import { followUser } from "@/lib/follows/follow";
import { getMe, getUserByUsername, updateProfile } from "@/lib/users/profile";
import { apiRequest, makeUser, readJson, routeParams } from "../support/fixtures";
import { logInAs } from "../support/session";
import { userRow } from "./fixtures";
import { appErrorOf } from "../support/app-error";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

beforeEach(() => {
  logInAs(null);
});

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

describe("getUserByUsername", () => {
  it("returns the public profile, found case-insensitively, without email or password", async () => {
    const user = await makeUser({ bio: "Hello there", isSuperstar: true, postsCount: 3 });
    const dto = await getUserByUsername({ username: user.username.toUpperCase(), viewerId: null });
    expect(dto).toEqual({
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      bio: "Hello there",
      createdAt: user.createdAt.toISOString(),
      followersCount: 0,
      followingCount: 0,
      postsCount: 3,
      isSuperstar: true,
      avatarUrl: null,
    });
  });

  it("says whether the viewer follows the user, only when there is a viewer", async () => {
    const [alice, bob, carol] = await Promise.all([makeUser(), makeUser(), makeUser()]);
    await followUser({ followerId: alice!.id, username: bob!.username });
    expect(await getUserByUsername({ username: bob!.username, viewerId: alice!.id })).toMatchObject({ followedByMe: true, followersCount: 1 });
    expect(await getUserByUsername({ username: bob!.username, viewerId: carol!.id })).toMatchObject({ followedByMe: false });
    expect(await getUserByUsername({ username: bob!.username })).not.toHaveProperty("followedByMe");
    expect(await getUserByUsername({ username: alice!.username, viewerId: alice!.id })).toMatchObject({ followedByMe: false });
  });

  it("is a 404 for an unknown or impossible username", async () => {
    for (const username of ["nobody_here_123456", "no", "bad name!", ""]) {
      const error = await appErrorOf(getUserByUsername({ username, viewerId: null }));
      expect([error.status, error.code]).toEqual([404, "not_found"]);
    }
  });
});

describe("getMe and updateProfile", () => {
  it("getMe adds the email and the admin flag", async () => {
    const user = await makeUser();
    const me = await getMe({ id: user.id, username: user.username, email: user.email, isAdmin: true });
    expect(me).toMatchObject({ id: user.id, username: user.username, email: user.email, isAdmin: true, followersCount: 0 });
    expect(me).not.toHaveProperty("passwordHash");
  });

  it("getMe is a 404 for a session whose account is gone", async () => {
    const error = await appErrorOf(getMe({ id: "999999999999", username: "ghost", email: "ghost@example.com", isAdmin: false }));
    expect(error.status).toBe(404);
  });

  it("updates display name and bio (trimmed), leaves the rest, and sets updated_at", async () => {
    const user = await makeUser({ bio: "old bio", updatedAt: new Date("2020-01-01T00:00:00Z") });
    const dto = await updateProfile({ userId: user.id, displayName: "  Ada  ", bio: " Counts 🐦 as one " });
    expect(dto).toMatchObject({ displayName: "Ada", bio: "Counts 🐦 as one", username: user.username });
    const row = await userRow(user.id);
    expect(row.updatedAt.getTime()).toBeGreaterThan(new Date("2020-01-01T00:00:00Z").getTime());

    const bioOnly = await updateProfile({ userId: user.id, bio: "" });
    expect(bioOnly).toMatchObject({ displayName: "Ada", bio: "" });

    // Nothing to change: the profile as it is, and no write.
    const before = (await userRow(user.id)).updatedAt.getTime();
    expect(await updateProfile({ userId: user.id })).toMatchObject({ displayName: "Ada", bio: "" });
    expect((await userRow(user.id)).updatedAt.getTime()).toBe(before);
  });

  it("counts characters as a person does: 160 emoji are a valid bio, 161 are not", async () => {
    const user = await makeUser();
    await expect(updateProfile({ userId: user.id, bio: "👩‍👩‍👧".repeat(160) })).resolves.toMatchObject({ bio: "👩‍👩‍👧".repeat(160) });
    const error = await appErrorOf(updateProfile({ userId: user.id, bio: "👩‍👩‍👧".repeat(161) }));
    expect(error.fields).toEqual({ bio: expect.any(String) });
  });

  it("refuses an empty or too-long display name with a message per field", async () => {
    const user = await makeUser();
    const error = await appErrorOf(updateProfile({ userId: user.id, displayName: "   ", bio: "x".repeat(161) }));
    expect([error.status, error.code]).toEqual([400, "invalid_input"]);
    expect(Object.keys(error.fields!).sort()).toEqual(["bio", "displayName"]);
    expect((await userRow(user.id)).displayName).toBe(user.displayName);
  });
});

describe("GET /api/v1/users/{username}", () => {
  it("is the profile, without followedByMe when logged out and with it when logged in", async () => {
    const [alice, bob] = await Promise.all([makeUser(), makeUser()]);
    await followUser({ followerId: alice!.id, username: bob!.username });

    const anonymous = await readJson(await getUserRoute(apiRequest("GET", `/api/v1/users/${bob!.username}`), routeParams({ username: bob!.username })));
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ id: bob!.id, username: bob!.username, followersCount: 1 });
    expect(anonymous.body).not.toHaveProperty("followedByMe");
    expect(anonymous.body).not.toHaveProperty("email");

    logInAs(alice!);
    const loggedIn = await readJson(await getUserRoute(apiRequest("GET", `/api/v1/users/${bob!.username}`), routeParams({ username: bob!.username })));
    expect(loggedIn.body).toMatchObject({ followedByMe: true });
  });

  it("is a 404 with the error shape for an unknown user", async () => {
    const res = await getUserRoute(apiRequest("GET", "/api/v1/users/nobody_at_all_987"), routeParams({ username: "nobody_at_all_987" }));
    const { status, body } = await readJson<ErrorBody>(res);
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
  });
});

describe("/api/v1/me", () => {
  it("GET is 401 when logged out", async () => {
    const { status, body } = await readJson<ErrorBody>(await getMeRoute(apiRequest("GET", "/api/v1/me"), routeParams({})));
    expect(status).toBe(401);
    expect(body.error.code).toBe("unauthenticated");
  });

  it("GET is the user plus email and isAdmin", async () => {
    const user = await makeUser();
    logInAs(user, true);
    const { status, body } = await readJson(await getMeRoute(apiRequest("GET", "/api/v1/me"), routeParams({})));
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: user.id, username: user.username, email: user.email, isAdmin: true });
  });

  it("PATCH edits the profile and returns the User", async () => {
    const user = await makeUser();
    logInAs(user);
    const res = await patchMe(apiRequest("PATCH", "/api/v1/me", { json: { displayName: "New Name", bio: "New bio" } }), routeParams({}));
    const { status, body } = await readJson(res);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: user.id, displayName: "New Name", bio: "New bio" });
    expect(await getUserByUsername({ username: user.username })).toMatchObject({ displayName: "New Name", bio: "New bio" });
  });

  it("PATCH answers 400 with fields for invalid values and for a wrongly typed one", async () => {
    const user = await makeUser();
    logInAs(user);
    const tooLong = await readJson<ErrorBody>(await patchMe(apiRequest("PATCH", "/api/v1/me", { json: { displayName: "", bio: "b".repeat(200) } }), routeParams({})));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe("invalid_input");
    expect(Object.keys(tooLong.body.error.fields!).sort()).toEqual(["bio", "displayName"]);

    const wrongType = await readJson<ErrorBody>(await patchMe(apiRequest("PATCH", "/api/v1/me", { json: { bio: 42 } }), routeParams({})));
    expect(wrongType.status).toBe(400);
    expect(Object.keys(wrongType.body.error.fields!)).toEqual(["bio"]);
    expect((await userRow(user.id)).bio).toBe("");
  });

  it("PATCH answers 400 invalid_json to a malformed body and 401 when logged out", async () => {
    const user = await makeUser();
    logInAs(user);
    const malformed = await readJson<ErrorBody>(await patchMe(apiRequest("PATCH", "/api/v1/me", { raw: "{bio:" }), routeParams({})));
    expect([malformed.status, malformed.body.error.code]).toEqual([400, "invalid_json"]);

    logInAs(null);
    const anonymous = await patchMe(apiRequest("PATCH", "/api/v1/me", { json: { bio: "x" } }), routeParams({}));
    expect(anonymous.status).toBe(401);
  });
});
