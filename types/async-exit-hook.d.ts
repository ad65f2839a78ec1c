// The subset of async-exit-hook's API the launcher uses (the package ships no types).
declare module "async-exit-hook" {
  type Hook = ((done: () => void) => void) | (() => void);
  interface ExitHook {
    (hook: Hook): void;
    forceExitTimeout(ms: number): void;
    unhookEvent(event: string): void;
    hookedEvents(): string[];
  }
  const exitHook: ExitHook;
  export default exitHook;
}
