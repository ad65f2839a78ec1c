import "server-only";
// Sends the post/* events after the database change has committed. A failed send is
// logged with its event, not thrown: the post exists by then, and failing the request
// would make a client retry and publish it twice.
import { inngest } from "@/lib/events/client";
import { postCreated, postDeleted } from "@/lib/events/schemas";

type Payload = ReturnType<typeof postCreated.create> | ReturnType<typeof postDeleted.create>;

export async function sendPostEvent(event: Payload): Promise<void> {
  try {
    await inngest.send(event);
  } catch (error) {
    console.error("sending an Inngest event failed", { name: event.name, id: event.id, data: event.data, error });
  }
}
