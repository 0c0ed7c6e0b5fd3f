/** "Run stale cells": what the page sends and what it gets back. */

export interface RunStaleRequest {
  /** The inputs as the page's form shows them; each run of the batch uses them. */
  inputs?: Record<string, unknown>;
}

export interface RunStaleResponse {
  /** The first execution of the batch; absent when no cell was stale. */
  executionId?: string;
  /**
   * The cells the batch runs, in flow order, one execution each (a stale flowable runs
   * with its nested cells). Cells that go stale because of an earlier run of the batch
   * are run too, each cell at most once.
   */
  taskIds: string[];
  /** Stale cells left alone: they sit in a branch that does not run with the current inputs. */
  skipped: string[];
}
