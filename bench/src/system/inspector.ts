import { WebSocket } from "ws";

/** Where `node --inspect=127.0.0.1:0` said its inspector listens (it prints it on stderr). */
export const inspectorUrlOf = (output: string): string | undefined =>
  /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];

type Pending = { resolve: (result: unknown) => void; reject: (e: Error) => void };

/**
 * A minimal Chrome DevTools Protocol session with a Node process, enough to start and stop
 * its CPU profiler around exactly the interval being measured.
 */
export class InspectorSession {
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data: Buffer) => {
      const message = JSON.parse(data.toString()) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (message.id === undefined) return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiting?.reject(new Error(message.error.message));
      else waiting?.resolve(message.result);
    });
  }

  static connect(url: string): Promise<InspectorSession> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once("open", () => resolve(new InspectorSession(socket)));
      socket.once("error", reject);
    });
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (r) => resolve(r as T), reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** Starts V8's sampling profiler (1 ms interval); `stop` returns a `.cpuprofile` document. */
export const startCpuProfile = async (session: InspectorSession) => {
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: 1000 });
  await session.send("Profiler.start");
  return {
    stop: async (): Promise<unknown> => {
      const { profile } = await session.send<{ profile: unknown }>("Profiler.stop");
      await session.send("Profiler.disable");
      return profile;
    },
  };
};
