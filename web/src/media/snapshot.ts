/** The line's snapshot of a fan when there is no camera stream to take it from (simulated media). */
function hue(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}

export function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() ?? "");
  return letters.slice(0, 2).join("") || "?";
}

export function simulatedSnapshot(name: string): string {
  const canvas = document.createElement("canvas");
  canvas.width = 160;
  canvas.height = 120;
  const context = canvas.getContext("2d");
  if (!context) return "data:image/png;base64,";
  context.fillStyle = `hsl(${hue(name)} 55% 35%)`;
  context.fillRect(0, 0, 160, 120);
  context.fillStyle = "#fff";
  context.font = "bold 44px system-ui, sans-serif";
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText(initials(name), 80, 54);
  context.font = "12px system-ui, sans-serif";
  context.fillText("simulated camera", 80, 100);
  return canvas.toDataURL("image/jpeg", 0.8);
}
