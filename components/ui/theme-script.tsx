// Applies the stored theme choice (components/theme-toggle.tsx) to <html> before the first
// paint, so a dark choice never flashes light. Inline, as the CSP in next.config.ts allows.
export const THEME_STORAGE_KEY = "starling-theme";

const script = `try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;

export function ThemeScript() {
  return <script dangerouslySetInnerHTML={{ __html: script }} />;
}
