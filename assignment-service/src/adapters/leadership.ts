import type { Logger } from "@support-chat/service-kit";
import postgres from "postgres";

/** First half of the leadership lock's key: "asg0". The second half is the NATS namespace's. */
const LOCK_CLASS = 0x61736730;

/** A non-negative 31-bit hash, so the key reads back from pg_locks (an oid) unchanged. */
const keyOf = (namespace: string): number => {
  let hash = 0x811c9dc5;
  for (const ch of namespace) hash = Math.imul(hash ^ ch.codePointAt(0)!, 0x01000193);
  return hash & 0x7fffffff;
};

export type Leadership = Readonly<{
  isLeader: () => boolean;
  stop: () => Promise<void>;
}>;

/**
 * Exactly one replica routes at a time: the one holding a Postgres session advisory lock on a
 * connection of its own. A standby tries again every `retryMs`; a leader that dies loses the
 * lock with its connection. The leader checks every `retryMs` that its session still holds the
 * lock (a dropped and silently replaced connection would not), and steps down the moment it
 * cannot tell. The session's idle timeout frees the lock of a leader whose host vanished
 * without closing the connection; the leader's own checks keep its session from idling.
 */
export const startLeadership = (opts: {
  databaseUrl: string;
  namespace: string;
  retryMs?: number;
  log: Logger;
  onChange: (leader: boolean) => void;
}): Leadership => {
  const retryMs = opts.retryMs ?? 1000;
  const key = keyOf(opts.namespace);
  const idleTimeoutMs = Math.max(10 * retryMs, 5000);
  const sql = postgres(opts.databaseUrl, {
    max: 1,
    idle_timeout: 0,
    // Never recycled by the driver: a new connection would be a new session without the lock.
    max_lifetime: null,
    connect_timeout: 5,
    connection: { application_name: "assignment-leader", idle_session_timeout: idleTimeoutMs },
    onnotice: () => {},
  });
  let leader = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const become = (next: boolean) => {
    if (next === leader) return;
    leader = next;
    opts.log.info({ leader }, leader ? "took over routing" : "stopped routing");
    opts.onChange(leader);
  };

  const holdsLock = async (): Promise<boolean> => {
    const [row] = await sql<{ held: boolean }[]>`
      select exists(
        select 1 from pg_locks
        where locktype = 'advisory' and classid = ${LOCK_CLASS} and objid = ${key}
          and objsubid = 2 and pid = pg_backend_pid() and granted
      ) as held`;
    return row?.held === true;
  };

  const tryLock = async (): Promise<boolean> => {
    const [row] = await sql<{ locked: boolean }[]>`
      select pg_try_advisory_lock(${LOCK_CLASS}, ${key}) as locked`;
    return row?.locked === true;
  };

  const attempt = async () => {
    try {
      become(leader ? await holdsLock() : await tryLock());
    } catch (err) {
      if (leader) opts.log.warn({ err }, "cannot confirm leadership; stepping down");
      become(false);
    }
  };

  const loop = () => {
    if (stopped) return;
    running = attempt().finally(() => {
      if (!stopped) timer = setTimeout(loop, retryMs);
    });
  };
  loop();

  return {
    isLeader: () => leader,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      become(false);
      // Closing the session releases the lock at once, so a standby takes over within retryMs.
      await sql.end({ timeout: 2 }).catch(() => undefined);
    },
  };
};
