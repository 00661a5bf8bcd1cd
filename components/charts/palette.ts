// Chart colours (SVG fills and strokes), matched to the Tailwind palette the pages use.
export const chartColors = {
  brand: "#2f5fd0",
  brandLight: "#93b0f0",
  emerald: "#059669",
  amber: "#d97706",
  orange: "#ea580c",
  red: "#dc2626",
  slate: "#94a3b8",
  grid: "#e2e8f0",
  axis: "#64748b",
} as const;
