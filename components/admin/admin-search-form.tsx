// The admin page's user search: a GET form (/admin?q=…), so results have an address and
// work without JavaScript; next/form keeps it a client-side navigation when it can.
import Form from "next/form";
import { FormField } from "@/components/ui/form-field";

export function AdminSearchForm({ query, error }: { query: string; error?: string }) {
  return (
    <Form action="/admin" role="search" aria-label="Users" className="admin-search">
      <FormField
        label="Search users"
        name="q"
        type="search"
        defaultValue={query}
        hint="Part of a username or display name."
        error={error}
        autoComplete="off"
      />
      <button type="submit" className="button">
        Search
      </button>
    </Form>
  );
}
