// Any /api/v1 path that no route claims (Next.js would answer with its HTML 404 page):
// the API's JSON 404, whatever the method.
import { unknownEndpoint } from "@/lib/api/methods";

export const GET = unknownEndpoint;
export const HEAD = unknownEndpoint;
export const OPTIONS = unknownEndpoint;
export const POST = unknownEndpoint;
export const PUT = unknownEndpoint;
export const PATCH = unknownEndpoint;
export const DELETE = unknownEndpoint;
