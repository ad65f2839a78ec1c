// Marks a superstar in the admin page's lists (the star is drawn by CSS, hidden from screen readers).
export function SuperstarBadge() {
  return <span className="badge superstar-badge">Superstar</span>;
}
