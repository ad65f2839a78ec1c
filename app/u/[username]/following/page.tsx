import { FollowListPage, followListMetadata, type FollowListPageProps } from "../follow-list-page";

export const generateMetadata = (props: FollowListPageProps) => followListMetadata("following", props);

export default function FollowingPage(props: FollowListPageProps) {
  return <FollowListPage kind="following" {...props} />;
}
