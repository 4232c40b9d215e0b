import { initialState, type AssignmentRules, type AssignmentState } from "../domain/state.js";

export type Clock = () => number;

/**
 * The one mutable cell of the service: the current AssignmentState. Every change goes through
 * `update` with a pure function of the domain; listeners hear about every real change (for
 * routing and broadcasting), never about no-ops.
 */
export type LiveState = Readonly<{
  rules: AssignmentRules;
  now: Clock;
  get: () => AssignmentState;
  update: (change: (state: AssignmentState, now: number) => AssignmentState) => AssignmentState;
  onChange: (listener: () => void) => void;
}>;

export const createLiveState = (rules: AssignmentRules, now: Clock = Date.now): LiveState => {
  let state = initialState();
  const listeners: Array<() => void> = [];
  return {
    rules,
    now,
    get: () => state,
    update: (change) => {
      const next = change(state, now());
      if (next !== state) {
        state = next;
        for (const listener of listeners) listener();
      }
      return state;
    },
    onChange: (listener) => void listeners.push(listener),
  };
};
