import type { DatabaseHealth } from "./useHealth";

type Engine = DatabaseHealth["engine"];

const LABELS: Record<Engine, string> = { sqlite: "SQLite", postgresql: "PostgreSQL" };

/** The active engine, unmistakable: the first thing an admin checks after a migration. */
export function EngineBadge({ engine }: { engine: Engine }) {
  return (
    <span className={`engine-badge engine-${engine}`} data-testid="engine-badge">
      <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
        <path d="M12 2C7 2 3 3.8 3 6v12c0 2.2 4 4 9 4s9-1.8 9-4V6c0-2.2-4-4-9-4zm0 2c4.4 0 7 1.4 7 2s-2.6 2-7 2-7-1.4-7-2 2.6-2 7-2zm7 14c0 .6-2.6 2-7 2s-7-1.4-7-2v-2.3c1.6.8 4.1 1.3 7 1.3s5.4-.5 7-1.3V18zm0-5c0 .6-2.6 2-7 2s-7-1.4-7-2v-2.3c1.6.8 4.1 1.3 7 1.3s5.4-.5 7-1.3V13z" />
      </svg>
      {LABELS[engine] ?? engine}
    </span>
  );
}
