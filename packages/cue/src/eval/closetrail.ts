/**
 * Closedness nodes are shared by everything evaluated from the same
 * declarations: a field's node belongs to the literal that declares it, and
 * every disjunct clone of that field re-adds the same conjuncts with the same
 * nodes. What one disjunct adds to such a node (the closed definition it
 * embeds, the labels its struct declares) must not widen or narrow what
 * another disjunct allows (`{either: #Foo | #Bar}` would otherwise let #Bar's
 * disjunct accept `foo`).
 *
 * So, while a disjunct is evaluated, every change to a node that existed
 * before the disjunct started is recorded on a trail and undone once the
 * disjunct is done; the disjunct that is finally adopted has its changes
 * replayed. This plays the role of the per-disjunct closeContext copies of
 * CUE's evaluator. Nodes created during the disjunct belong to it alone and
 * are not recorded.
 */
import type { CloseNode } from './vertex.js';
import type { Val } from './values.js';

interface Change {
  n: CloseNode;
  undo(): void;
  redo(): void;
}

/** Creation stamps of nodes: a node born after the trail started belongs to the disjunct. */
let clock = 0;
let trail: Change[] | undefined;
let since = 0;

/** The creation stamp of a new node (newNode): 0 outside any disjunct or vertex pass. */
export function nodeBirth(): number {
  return trail || pass ? ++clock : 0;
}

/**
 * A vertex's own evaluation pass (sched.ts doExpand): the groups it attaches
 * to nodes that outlive it, as node, list, group triples. A vertex that then
 * splits into disjuncts takes them out again (dropPass), since each disjunct
 * evaluates the same conjuncts with its own groups; the pass's groups, made
 * without any chosen disjunct, would stay beside theirs and allow what they
 * do not (`{d, z: 1}` with `d: (#B | #B) & {a: 1}` allowed a). Passes of
 * other vertices evaluated meanwhile keep their own record: what they attach
 * is theirs to keep.
 */
export interface Pass {
  since: number;
  /** Made on the first group attached: most passes attach none. */
  items: (CloseNode | 'embeds' | 'unions')[] | undefined;
}
let pass: Pass | undefined;

/**
 * Starts a vertex's pass; returns the enclosing one, for endPass. (A pair of
 * calls rather than a function taking a callback: a pass runs for every
 * vertex expanded, and the callback and result record were allocated each time.)
 */
export function beginPass(): Pass | undefined {
  const outer = pass;
  pass = { since: ++clock, items: undefined };
  return outer;
}

/** Ends the current pass (begun by beginPass, which returned `outer`) and returns it. */
export function endPass(outer: Pass | undefined): Pass {
  const mine = pass!;
  pass = outer;
  return mine;
}

/** Detaches the groups a pass attached (recorded on the trail like any change). */
export function dropPass(p: Pass): void {
  const xs = p.items;
  if (!xs) return;
  for (let i = xs.length - 3; i >= 0; i -= 3) {
    const n = xs[i] as CloseNode;
    const key = xs[i + 1] as 'embeds' | 'unions';
    const x = xs[i + 2] as CloseNode;
    const detach = () => {
      const list = n[key];
      const j = list ? list.lastIndexOf(x) : -1;
      if (j >= 0) list!.splice(j, 1);
    };
    if (shared(n)) record(n, { n, undo: () => push(n, key, x), redo: detach });
    else detach();
  }
}

function shared(n: CloseNode): boolean {
  return trail !== undefined && n.born <= since;
}

function record(n: CloseNode, c: Change): void {
  if (shared(n)) trail!.push(c);
  c.redo();
}

type ListKey = 'embeds' | 'unions' | 'patterns';

/** Appends x to one of n's lists. */
export function nodePush<K extends ListKey>(n: CloseNode, key: K, x: NonNullable<CloseNode[K]>[number]): void {
  if (pass && key !== 'patterns' && n.born <= pass.since) (pass.items ??= []).push(n, key as 'embeds' | 'unions', x as CloseNode);
  if (!shared(n)) {
    push(n, key, x);
    return;
  }
  const had = n[key] !== undefined;
  record(n, {
    n,
    undo: () => {
      // (x itself: a dropped pass may have detached a group after it, dropPass.)
      const xs = n[key] as unknown[] | undefined;
      const j = xs ? xs.lastIndexOf(x) : -1;
      if (j >= 0) xs!.splice(j, 1);
      if (!had && xs && xs.length === 0) n[key] = undefined;
    },
    redo: () => push(n, key, x),
  });
}

/**
 * Most such lists keep one element: `[x]` is made to size, where pushing onto `[]` makes room for 16.
 * (Each list by name, as flagOf reads flags: one keyed access `n[key]` for all three was megamorphic.)
 */
function push<K extends ListKey>(n: CloseNode, key: K, x: NonNullable<CloseNode[K]>[number]): void {
  switch (key) {
    case 'embeds':
      if (n.embeds) n.embeds.push(x as CloseNode);
      else n.embeds = [x as CloseNode];
      return;
    case 'unions':
      if (n.unions) n.unions.push(x as CloseNode);
      else n.unions = [x as CloseNode];
      return;
    case 'patterns':
      if (n.patterns) n.patterns.push(x as Val);
      else n.patterns = [x as Val];
      return;
  }
}

/** Adds a label n declares. */
export function nodeLabel(n: CloseNode, l: string): void {
  if (n.labels?.has(l)) return;
  if (!shared(n)) {
    (n.labels ??= new Set()).add(l);
    return;
  }
  record(n, {
    n,
    undo: () => void n.labels!.delete(l),
    redo: () => void (n.labels ??= new Set()).add(l),
  });
}

type FlagKey = 'closed' | 'open' | 'strict' | 'and' | 'mixed' | 'inline' | 'deep';

/** Flag `key` of n, read by name: one keyed read `n[key]` for every flag was megamorphic. */
function flagOf(n: CloseNode, key: FlagKey): boolean | undefined {
  switch (key) {
    case 'closed':
      return n.closed;
    case 'open':
      return n.open;
    case 'strict':
      return n.strict;
    case 'and':
      return n.and;
    case 'mixed':
      return n.mixed;
    case 'inline':
      return n.inline;
    case 'deep':
      return n.deep;
  }
}

/** Sets flag `key` of n, by name as flagOf reads it. */
function setFlag(n: CloseNode, key: FlagKey, to: boolean | undefined): void {
  switch (key) {
    case 'closed':
      n.closed = !!to;
      return;
    case 'open':
      n.open = !!to;
      return;
    case 'strict':
      n.strict = to;
      return;
    case 'and':
      n.and = to;
      return;
    case 'mixed':
      n.mixed = to;
      return;
    case 'inline':
      n.inline = to;
      return;
    case 'deep':
      n.deep = to;
      return;
  }
}

/** Sets a flag of n. */
export function nodeFlag(n: CloseNode, key: FlagKey): void {
  const was = flagOf(n, key);
  if (was) return;
  if (!shared(n)) {
    setFlag(n, key, true);
    return;
  }
  record(n, {
    n,
    undo: () => setFlag(n, key, was),
    redo: () => setFlag(n, key, true),
  });
}

/** Sets n's group of own declarations. */
export function nodeOwn(n: CloseNode, o: CloseNode): void {
  if (!shared(n)) {
    n.own = o;
    return;
  }
  const was = n.own;
  record(n, {
    n,
    undo: () => {
      n.own = was;
    },
    redo: () => {
      n.own = o;
    },
  });
}

/** Records n's node for field `name`. */
export function nodeKid(n: CloseNode, name: string, k: CloseNode): void {
  if (!shared(n)) {
    (n.kids ??= new Map()).set(name, k);
    return;
  }
  record(n, {
    n,
    undo: () => void n.kids!.delete(name),
    redo: () => void (n.kids ??= new Map()).set(name, k),
  });
}

/**
 * Evaluates one disjunct with its changes to shared nodes recorded, and
 * undoes them afterwards. Returns the changes, to replay if it is adopted.
 */
export function isolated(run: () => void): Change[] {
  const outer = trail;
  const outerSince = since;
  trail = [];
  since = ++clock;
  const mine = trail;
  try {
    run();
  } finally {
    for (let i = mine.length - 1; i >= 0; i--) mine[i]!.undo();
    trail = outer;
    since = outerSince;
  }
  return mine;
}

/** Re-applies a disjunct's changes (it was adopted); recorded again on an enclosing trail. */
export function replay(changes: Change[]): void {
  for (const c of changes) {
    if (shared(c.n)) trail!.push(c);
    c.redo();
  }
}

export type { Change };
