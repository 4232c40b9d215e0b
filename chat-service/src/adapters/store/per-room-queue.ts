/**
 * Runs tasks for the same room one after another within this process, so local writers never
 * race each other for a stream position; writers in other replicas still can, and the event
 * store's optimistic retry settles that.
 */
export class PerRoomQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(roomId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(roomId) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(roomId, tail);
    void tail.then(() => {
      if (this.tails.get(roomId) === tail) this.tails.delete(roomId);
    });
    return result;
  }
}
