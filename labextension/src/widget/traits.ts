// The graph widget's model: the traits pktlab/notebook/widget.py syncs to the view.
import { ClassInfo, ConnJSON, ElementJSON, LiveData } from '../common/types';

export interface Status {
  kind?: string;
  text?: string;
  changed?: string[];
  seq?: number;
}

export interface Traits {
  elements: ElementJSON[];
  connections: ConnJSON[];
  ports: Record<string, [number, number]>;
  pull: string[];
  positions: Record<string, [number, number]>;
  parameters: Record<string, Record<string, string>>;
  classes: Record<string, ClassInfo>;
  errors: Record<string, Record<string, string>>;
  live: LiveData;
  pending: { count?: number; summary?: string };
  status: Status;
  engine_state: string;
  can_undo: boolean;
  can_redo: boolean;
  cell: CellSync;
  cell_state: string;
  retired: string;
}

/** The %%click cell's text for the engine's graph (pktlab/notebook/session.py). */
export interface CellSync {
  id?: string;
  ran?: string;
  text?: string;
  seq?: number;
  force?: boolean;
}
