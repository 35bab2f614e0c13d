import { useState } from 'react';
import type { DragEvent } from 'react';
import type { Dtype, DevicePreference, ModelSource, ServerModel } from '../../worker/protocol';
import { HUB_MODEL_PRESETS } from '../../core/model-presets';
import { presetRecipe } from '../../core/recipe';
import type { AppController } from '../useApp';
import { ProgressBar } from './ProgressBar';

const DTYPES: Dtype[] = ['fp32', 'fp16', 'q8', 'q4'];

type PickedFiles = { name: string; files: { path: string; file: File }[] };

/** Files from an `<input webkitdirectory>` or a drop, with paths relative to the model folder. */
function pickedFromList(list: FileList): PickedFiles | null {
  const files = Array.from(list);
  if (files.length === 0) return null;
  const first = files[0].webkitRelativePath || files[0].name;
  const name = first.includes('/') ? first.split('/')[0] : 'dropped files';
  return {
    name,
    files: files.map((file) => {
      const rel = file.webkitRelativePath || file.name;
      return { path: rel.includes('/') ? rel.split('/').slice(1).join('/') : rel, file };
    }),
  };
}

async function pickedFromDrop(event: DragEvent): Promise<PickedFiles | null> {
  const items = Array.from(event.dataTransfer.items);
  const root = items[0]?.webkitGetAsEntry();
  if (!root) return null;
  if (!root.isDirectory) return pickedFromList(event.dataTransfer.files);
  const files: { path: string; file: File }[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) =>
        (entry as FileSystemFileEntry).file(resolve, reject),
      );
      files.push({ path: prefix + entry.name, file });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
        reader.readEntries(resolve, reject),
      );
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, prefix + (entry === root ? '' : `${entry.name}/`));
    }
  };
  await walk(root, '');
  return { name: root.name, files };
}

export function ModelPanel({ app }: { app: AppController }) {
  const { state, setSettings, loadModel, cancelLoad, serverModels } = app;
  const { source, dtype, device } = state.settings;
  const [hubId, setHubId] = useState(source.kind === 'hub' ? source.id : 'Xenova/bert-base-uncased');
  const [picked, setPicked] = useState<PickedFiles | null>(null);
  const loading = state.model.status === 'loading';

  const serverModel: ServerModel | undefined =
    source.kind === 'server' ? serverModels?.find((m) => m.id === source.id) : undefined;
  const availableDtypes = serverModel ? serverModel.dtypes : DTYPES;

  const resolvedSource = (): ModelSource | null => {
    if (source.kind === 'server') return { kind: 'server', id: source.id };
    if (source.kind === 'hub') return hubId.trim() ? { kind: 'hub', id: hubId.trim() } : null;
    return picked ? { kind: 'files', name: picked.name, files: picked.files } : null;
  };
  const ready = resolvedSource();

  return (
    <section
      className="panel"
      aria-labelledby="model-title"
      data-testid="model.panel"
      data-server-models={serverModels === null ? 'loading' : serverModels.length}
    >
      <h2 id="model-title">1. Model</h2>
      <div className="row" role="radiogroup" aria-label="Model source">
        {(
          [
            ['server', 'Local folder'],
            ['hub', 'Hugging Face Hub'],
            ['files', 'Pick or drop a folder'],
          ] as const
        ).map(([kind, label]) => (
          <label key={kind} className="choice">
            <input
              type="radio"
              name="source"
              data-testid={`model.source.${kind}`}
              checked={source.kind === kind}
              onChange={() =>
                setSettings({
                  source:
                    kind === 'server'
                      ? { kind, id: serverModels?.[0]?.id ?? '' }
                      : kind === 'hub'
                        ? { kind, id: hubId }
                        : { kind, name: picked?.name ?? '' },
                })
              }
            />
            {label}
          </label>
        ))}
      </div>

      {source.kind === 'server' && (
        <label className="field">
          Model folder
          <select
            data-testid="model.serverSelect"
            value={source.id}
            onChange={(e) => setSettings({ source: { kind: 'server', id: e.target.value } })}
          >
            {(serverModels ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
                {m.modelType ? ` (${m.modelType})` : ''}
              </option>
            ))}
          </select>
          {serverModels && serverModels.length === 0 && (
            <span className="hint">
              The server offers no local models. Start it with PAIRSCOPE_MODELS_DIR pointing at a folder of
              models.
            </span>
          )}
        </label>
      )}
      {source.kind === 'hub' && (
        <label className="field">
          Suggested models
          <select
            data-testid="model.hubPreset"
            value={HUB_MODEL_PRESETS.some((p) => p.hubId === hubId) ? hubId : ''}
            onChange={(e) => {
              const preset = HUB_MODEL_PRESETS.find((p) => p.hubId === e.target.value);
              if (!preset) return;
              setHubId(preset.hubId);
              setSettings({
                source: { kind: 'hub', id: preset.hubId },
                presetId: preset.recipe,
                recipe: presetRecipe(preset.recipe),
              });
            }}
          >
            <option value="">Choose…</option>
            {HUB_MODEL_PRESETS.map((p) => (
              <option key={p.hubId} value={p.hubId}>
                {p.name}
              </option>
            ))}
          </select>
          {HUB_MODEL_PRESETS.find((p) => p.hubId === hubId) && (
            <span className="hint" data-testid="model.hubPresetNote">
              {HUB_MODEL_PRESETS.find((p) => p.hubId === hubId)?.note}
            </span>
          )}
        </label>
      )}
      {source.kind === 'hub' && (
        <label className="field">
          Hub model id
          <input
            data-testid="model.hubId"
            value={hubId}
            placeholder="owner/name, e.g. Xenova/bert-base-uncased"
            onChange={(e) => setHubId(e.target.value)}
            onBlur={() => setSettings({ source: { kind: 'hub', id: hubId.trim() } })}
          />
        </label>
      )}
      {source.kind === 'files' && (
        <div
          className="dropzone"
          data-testid="model.dropzone"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            void pickedFromDrop(e).then((p) => {
              setPicked(p);
              if (p) setSettings({ source: { kind: 'files', name: p.name } });
            });
          }}
        >
          <input
            type="file"
            data-testid="model.files"
            // Directory picking: Chromium, Firefox and Safari support webkitdirectory.
            {...{ webkitdirectory: '', directory: '' }}
            multiple
            onChange={(e) => {
              const p = e.target.files ? pickedFromList(e.target.files) : null;
              setPicked(p);
              if (p) setSettings({ source: { kind: 'files', name: p.name } });
            }}
          />
          <span className="hint">
            {picked
              ? `${picked.name}: ${picked.files.length} files`
              : 'Choose a model folder (config.json, tokenizer.json, onnx/…) or drop it here.'}
          </span>
        </div>
      )}

      <div className="row">
        <label className="field">
          Weights
          <select
            data-testid="model.dtype"
            value={dtype}
            onChange={(e) => setSettings({ dtype: e.target.value as Dtype })}
          >
            {DTYPES.map((d) => (
              <option key={d} value={d} disabled={!availableDtypes.includes(d)}>
                {d}
                {availableDtypes.includes(d) ? '' : ' (no file)'}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Device
          <select
            data-testid="model.device"
            value={device}
            onChange={(e) => setSettings({ device: e.target.value as DevicePreference })}
          >
            <option value="auto">Auto (WebGPU if it works)</option>
            <option value="webgpu">WebGPU</option>
            <option value="wasm">WASM (CPU)</option>
          </select>
        </label>
        {loading ? (
          <button type="button" data-testid="model.cancel" onClick={cancelLoad}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-testid="model.load"
            disabled={!ready}
            onClick={() => ready && loadModel(ready)}
          >
            Load model
          </button>
        )}
      </div>

      {state.model.status === 'loading' && (
        <ProgressBar testId="model.progress" progress={state.model.progress} bytes />
      )}
      {state.model.status === 'error' && (
        <p className="error" role="alert" data-testid="model.error">
          {state.model.message}
        </p>
      )}
      {state.model.status === 'ready' && (
        <dl className="facts" data-testid="model.status">
          <dt>Model</dt>
          <dd data-testid="model.label">{state.model.info.label}</dd>
          <dt>Architecture</dt>
          <dd>
            {state.model.info.modelType}, {state.model.info.numLayers} layers, hidden{' '}
            {state.model.info.hidden}, max {state.model.info.maxLength} tokens
          </dd>
          <dt>Tokenizer</dt>
          <dd data-testid="model.tokenizer">{state.model.info.tokenizer}</dd>
          <dt>Device</dt>
          <dd data-testid="model.device.used">
            {state.model.info.device === 'webgpu'
              ? 'WebGPU'
              : `WASM, ${state.model.info.threads} thread${state.model.info.threads === 1 ? '' : 's'}`}{' '}
            · {state.model.info.dtype}
          </dd>
          <dt>Layers</dt>
          <dd data-testid="model.layers">
            {state.model.info.layerAccess === 'last-only'
              ? 'last layer only'
              : `0–${state.model.info.numLayers}${state.model.info.layerAccess === 'graph-edit' ? ' (graph edited)' : ''}`}
          </dd>
          <dt>Loaded in</dt>
          <dd>{(state.model.info.loadMs / 1000).toFixed(1)} s</dd>
          {state.model.info.deviceNote && <dd className="note">{state.model.info.deviceNote}</dd>}
          {state.model.info.layerNote && <dd className="note">{state.model.info.layerNote}</dd>}
        </dl>
      )}
    </section>
  );
}
