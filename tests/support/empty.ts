// Stands in for `server-only` under Vitest, which has no react-server condition.
export {};
