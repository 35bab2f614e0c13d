import type { JobProgress } from '../../worker/protocol';

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const STAGE_NAMES: Record<JobProgress['stage'], string> = {
  download: 'Downloading',
  load: 'Starting the model',
  embed: 'Embedding',
  umap: 'Projecting',
  train: 'Training',
};

/** A labelled progress bar; indeterminate when the total is unknown. */
export function ProgressBar({
  progress,
  testId,
  bytes = false,
}: {
  progress: JobProgress | null;
  testId: string;
  bytes?: boolean;
}) {
  const known = progress !== null && progress.total > 0;
  const fmt = (n: number) => (bytes && progress?.stage === 'download' ? formatBytes(n) : String(n));
  const label = progress
    ? `${STAGE_NAMES[progress.stage]}${progress.detail ? ` ${progress.detail}` : ''}: ${fmt(progress.done)}${known ? ` / ${fmt(progress.total)}` : ''}`
    : 'Starting…';
  return (
    <div className="progress" data-testid={testId}>
      <progress
        value={known ? progress.done : undefined}
        max={known ? progress.total : undefined}
        aria-label={label}
      />
      <span>{label}</span>
    </div>
  );
}
