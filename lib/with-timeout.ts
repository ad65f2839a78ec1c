// A promise that gives up waiting after `ms`: for calls to services that may hang (a
// stopped process accepts connections and never answers) rather than refuse.

/** `promise`, or a rejection "no answer within ms ms" if it has not settled by then. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  promise.catch(() => {}); // abandoned after a timeout: its late failure is not news
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
