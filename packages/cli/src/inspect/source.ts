import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, ClusterSnapshot } from '@knsim/sim-core';
import { UserError } from '../errors.js';
import { buildCluster, type BuildOptions } from '../cluster-from-files.js';
import { EventLog, type ObjectEvent } from './events.js';
import { isKind, KINDS } from './kinds.js';

/** What `knsim get`, `describe` and `dig` read: a snapshot of the objects and their recent events. */
export interface InspectState {
  snapshot: ClusterSnapshot;
  events: EventLog;
}

/** The file `knsim run` writes beside summary.json, and `--from DIR` reads. */
export const OBJECTS_FILE = 'objects.json';

interface SavedObjects extends ClusterSnapshot {
  events: ObjectEvent[];
}

/** A cluster built from `-f` files as `knsim curl` builds it (Ready, then `--after`), inspected. */
export function stateFromFiles(o: BuildOptions): InspectState {
  const events = new EventLog();
  const { cluster } = buildCluster({ ...o, onCluster: (c) => events.attach(c.trace) });
  return { snapshot: cluster.inspect(), events };
}

/** The final state a `knsim run` saved in DIR. */
export function stateFromDir(dir: string): InspectState {
  const file = join(dir, OBJECTS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${file}: ${code === 'ENOENT' ? `no such file (--from takes the output folder of a knsim run, which writes ${OBJECTS_FILE})` : (e as Error).message}`);
  }
  let saved: SavedObjects;
  try {
    saved = JSON.parse(text) as SavedObjects;
  } catch (e) {
    throw new UserError(`${file}: not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(saved.objects) || typeof saved.nowMs !== 'number') throw new UserError(`${file}: not a knsim objects file (no objects or nowMs)`);
  const { events, ...snapshot } = saved;
  return { snapshot, events: new EventLog(events ?? []) };
}

/** Writes DIR/objects.json (through a temporary file): the cluster's final objects and their events. */
export function saveObjects(dir: string, cluster: Cluster, events: EventLog): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, OBJECTS_FILE);
  const snapshot = cluster.inspect();
  // Events of objects that are gone (pods scaled away) have nothing left to describe.
  const live = new Set(snapshot.objects.map((o) => `${KINDS.find((k) => isKind(o, k))?.resource}|${o.metadata.namespace ?? ''}|${o.metadata.name}`));
  const kept = events.all().filter((e) => live.has(`${e.resource}|${e.namespace}|${e.name}`));
  const doc: SavedObjects = { ...snapshot, events: kept };
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(doc) + '\n');
  renameSync(tmp, file);
  return file;
}
