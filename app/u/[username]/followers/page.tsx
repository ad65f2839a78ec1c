import { FollowListPage, followListMetadata, type FollowListPageProps } from "../follow-list-page";

export const generateMetadata = (props: FollowListPageProps) => followListMetadata("followers", props);

export default function FollowersPage(props: FollowListPageProps) {
  return <FollowListPage kind="followers" {...props} />;
}
