import type { AgentStatus } from "@support-chat/contracts";
import { eq, inArray, sql } from "drizzle-orm";
import type { AgentSettings } from "../../domain/agents.js";
import type { Database } from "./db.js";
import { agentActivity, agentSettings, requeuedRooms } from "./schema.js";

export type AgentStore = ReturnType<typeof createAgentStore>;

const settingsOf = (row: {
  status: AgentStatus | null;
  maxChats: number | null;
}): AgentSettings => ({
  status: row.status,
  maxChats: row.maxChats,
});

/** Our own small tables: agent settings, requeue marks and latest assignments. */
export const createAgentStore = (db: Database) => ({
  allSettings: async (): Promise<Map<string, AgentSettings>> => {
    const rows = await db.select().from(agentSettings);
    return new Map(rows.map((r) => [r.agentId, settingsOf(r)]));
  },

  settingsOf: async (agentId: string): Promise<AgentSettings | undefined> => {
    const [row] = await db.select().from(agentSettings).where(eq(agentSettings.agentId, agentId));
    return row && settingsOf(row);
  },

  saveStatus: async (agentId: string, status: AgentStatus): Promise<AgentSettings> => {
    const [row] = await db
      .insert(agentSettings)
      .values({ agentId, status })
      .onConflictDoUpdate({
        target: agentSettings.agentId,
        set: { status, updatedAt: sql`now()` },
      })
      .returning();
    return settingsOf(row!);
  },

  saveCapacity: async (agentId: string, maxChats: number | null): Promise<AgentSettings> => {
    const [row] = await db
      .insert(agentSettings)
      .values({ agentId, maxChats })
      .onConflictDoUpdate({
        target: agentSettings.agentId,
        set: { maxChats, updatedAt: sql`now()` },
      })
      .returning();
    return settingsOf(row!);
  },

  requeueMarks: async (roomIds: readonly string[]): Promise<Map<string, number>> => {
    if (roomIds.length === 0) return new Map();
    const rows = await db
      .select()
      .from(requeuedRooms)
      .where(inArray(requeuedRooms.roomId, [...roomIds]));
    return new Map(rows.map((r) => [r.roomId, r.requeuedAt.getTime()]));
  },

  markRequeued: async (roomId: string, at: Date): Promise<void> => {
    await db
      .insert(requeuedRooms)
      .values({ roomId, requeuedAt: at })
      .onConflictDoUpdate({
        target: requeuedRooms.roomId,
        set: { requeuedAt: sql`greatest(${requeuedRooms.requeuedAt}, excluded.requeued_at)` },
      });
  },

  forgetRoom: async (roomId: string): Promise<void> => {
    await db.delete(requeuedRooms).where(eq(requeuedRooms.roomId, roomId));
  },

  lastAssignments: async (): Promise<Map<string, number>> => {
    const rows = await db.select().from(agentActivity);
    return new Map(rows.map((r) => [r.agentId, r.lastAssignedAt.getTime()]));
  },

  noteAssignment: async (agentId: string, at: Date): Promise<void> => {
    await db
      .insert(agentActivity)
      .values({ agentId, lastAssignedAt: at })
      .onConflictDoUpdate({
        target: agentActivity.agentId,
        set: {
          lastAssignedAt: sql`greatest(${agentActivity.lastAssignedAt}, excluded.last_assigned_at)`,
        },
      });
  },
});
