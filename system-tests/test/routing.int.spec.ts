import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AgentView,
  ChatMessage,
  ChatRoom,
  RecordedRoomEvent,
  subjectsFor,
} from "@support-chat/contracts";
import { natsUrl } from "@support-chat/test-support";
import { ChatClient, eventually, person, rest, type Person } from "../src/clients.js";
import { startStack, type Stack } from "../src/stack.js";

/**
 * Presence flows from real sockets on the gateway; short heartbeats, TTL and grace keep the
 * test quick while exercising the same code paths as the defaults.
 */
const ROUTING_ENV = {
  ROUTING_POLICY: "least-loaded",
  AGENT_MAX_CHATS: "3",
  PRESENCE_HEARTBEAT_MS: "200",
  PRESENCE_TTL_MS: "2000",
  AGENT_OFFLINE_GRACE_MS: "1500",
  ROUTING_SWEEP_MS: "200",
  QUEUE_BROADCAST_MS: "1000",
};

type Participant = { person: Person; client: ChatClient };
type Customer = Participant & { room: ChatRoom };

/** Everything a routing scenario needs: the stack, its database and people on sockets. */
const scenario = () => {
  let stack: Stack;
  let sql: postgres.Sql;
  const clients: ChatClient[] = [];

  const setUp = async () => {
    stack = await startStack({ env: ROUTING_ENV });
    sql = postgres(stack.database.url, { max: 2, onnotice: () => {} });
  };
  const tearDown = async () => {
    for (const c of clients) c.close();
    await sql?.end();
    await stack?.stop();
  };

  const join = async (role: "agent" | "customer", name: string): Promise<Participant> => {
    const who = person(stack.jwtSecret, role, name);
    const client = await ChatClient.connect(stack.gatewayUrl, who);
    clients.push(client);
    return { person: who, client };
  };

  /** The widget: the customer's socket is up, then the room opens and the first message goes. */
  const customerWrites = async (name: string): Promise<Customer> => {
    const { person: who, client } = await join("customer", name);
    const opened = await rest(stack.gatewayUrl, who, "GET", "/chat/room");
    expect(opened.status).toBe(200);
    const room = ChatRoom.parse(opened.body);
    expect(await client.send("joinRoom", { roomId: room.id })).toMatchObject({ status: "OK" });
    const sent = await client.send("sendMessage", {
      roomId: room.id,
      message: `${name} needs help`,
      clientMessageId: `${name}-1`,
    });
    expect(sent).toMatchObject({ status: "OK" });
    return { person: who, client, room };
  };

  const agentsSeenBy = async (who: Person): Promise<AgentView[]> => {
    const res = await rest(stack.gatewayUrl, who, "GET", "/chat/support/agents");
    expect(res.status).toBe(200);
    return AgentView.array().parse(res.body);
  };

  const openRoomsOf = async (agentId: string): Promise<string[]> =>
    (
      await sql<{ id: string }[]>`
        select id from chat_rooms where support_agent_id = ${agentId} and status = 'open'
        order by id`
    ).map((r) => r.id);

  const roomCounts = async (): Promise<Record<string, number>> => {
    const rows = await sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from chat_rooms group by status`;
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  };

  /** The most open rooms any agent holds right now. */
  const highestLoad = async (): Promise<number> => {
    const [row] = await sql<{ n: number }[]>`
      select coalesce(max(n), 0)::int as n from (
        select count(*) as n from chat_rooms where status = 'open' group by support_agent_id
      ) loads`;
    return row?.n ?? 0;
  };

  /** Room ids in the order the event log opened them: the order they joined the queue. */
  const roomsInOpeningOrder = async (count: number): Promise<string[]> => {
    const nc = await connect({ servers: natsUrl() });
    try {
      const subjects = subjectsFor(stack.namespace);
      const consumer = await jetstream(nc).consumers.get(subjects.eventStream, {
        // One subject (not a list): NATS 2.9 knows no multi-subject filters.
        filter_subjects: subjects.event("RoomOpened"),
      });
      const ids: string[] = [];
      for await (const m of await consumer.fetch({ max_messages: count, expires: 5000 })) {
        ids.push(RecordedRoomEvent.parse(m.json()).data.roomId);
      }
      return ids;
    } finally {
      await nc.close();
    }
  };

  const close = async (who: Person, roomId: string) => {
    const res = await rest(stack.gatewayUrl, who, "POST", `/chat/room/${roomId}/close`);
    expect(res.status).toBe(200);
  };

  return {
    setUp,
    tearDown,
    stack: () => stack,
    join,
    customerWrites,
    agentsSeenBy,
    openRoomsOf,
    roomCounts,
    highestLoad,
    roomsInOpeningOrder,
    close,
  };
};

const lastQueueUpdate = (c: Customer) =>
  c.client
    .all("queueUpdated")
    .filter((p) => p.roomId === c.room.id)
    .at(-1);

const joinedBy = (c: Customer) =>
  c.client
    .all("supportJoined")
    .filter((p) => p.roomId === c.room.id)
    .map((p) => p.agentId);

describe("routing 20 customers to 5 agents of capacity 3, least-loaded", () => {
  const s = scenario();
  const agents: Participant[] = [];
  const customers: Customer[] = [];
  const byRoom = new Map<string, Customer>();
  /** The five left waiting, in the order they joined the queue. */
  let waiting: Customer[] = [];

  beforeAll(async () => {
    await s.setUp();
  });
  afterAll(async () => {
    await s.tearDown();
  });

  const agent = (i: number) => agents[i]!;
  const ids = (list: Participant[]) => list.map((p) => p.person.id);

  it("serves exactly 15 at once, 3 per agent, and tells the other 5 their place in order", async () => {
    for (const name of ["Ada", "Ben", "Cat", "Dan", "Eli"]) {
      agents.push(await s.join("agent", name));
    }
    await eventually(
      async () => (await s.agentsSeenBy(agent(0).person)).filter((a) => a.online).length === 5,
      "all five agents online",
    );

    customers.push(
      ...(await Promise.all(
        Array.from({ length: 20 }, (_, i) => s.customerWrites(`customer-${i + 1}`)),
      )),
    );
    for (const c of customers) byRoom.set(c.room.id, c);

    await eventually(
      async () =>
        customers.filter((c) => joinedBy(c).length > 0).length === 15 &&
        (await s.roomCounts())["waiting"] === 5,
      "15 customers served and 5 waiting",
    );
    const order = await s.roomsInOpeningOrder(20);
    expect(new Set(order)).toEqual(new Set(byRoom.keys()));
    const served = order.slice(0, 15);
    waiting = order.slice(15).map((id) => byRoom.get(id)!);

    // The first 15 to queue were served, each once.
    expect(new Set(customers.filter((c) => joinedBy(c).length > 0).map((c) => c.room.id))).toEqual(
      new Set(served),
    );
    for (const c of customers) expect(joinedBy(c).length).toBeLessThanOrEqual(1);
    await eventually(
      () => agents.every((a) => a.client.all("roomAssigned").length === 3),
      "three roomAssigned pushes per agent",
    );
    const assigned = agents.flatMap((a) => a.client.all("roomAssigned").map((p) => p.room.id));
    expect(new Set(assigned)).toEqual(new Set(served));
    expect(assigned).toHaveLength(15);
    for (const a of agents) expect(await s.openRoomsOf(a.person.id)).toHaveLength(3);

    // The other five know where they stand, in the order they queued, with an estimate now
    // that there is assignment history.
    await eventually(
      () =>
        waiting.every((c, i) => {
          const last = lastQueueUpdate(c);
          return last?.position === i + 1 && last.estimatedWaitSeconds !== null;
        }),
      "positions 1..5 with an estimated wait",
    );
    const told = waiting.map((c) => lastQueueUpdate(c)!);
    expect(told.map((p) => [p.position, p.agentsOnline])).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
    const etas = told.map((p) => p.estimatedWaitSeconds!);
    expect([...etas].sort((a, b) => a - b)).toEqual(etas);
    for (const c of waiting) expect(joinedBy(c)).toEqual([]);
  });

  it("closing a chat pulls in the customer at position 1, and the others move up", async () => {
    const ada = agent(0);
    const [roomOfAda] = await s.openRoomsOf(ada.person.id);
    await s.close(ada.person, roomOfAda!);

    const first = waiting[0]!;
    const joined = await first.client.waitFor("supportJoined", (p) => p.roomId === first.room.id);
    expect(joined).toMatchObject({ agentId: ada.person.id, agentName: "Ada" });
    await ada.client.waitFor("roomAssigned", (p) => p.room.id === first.room.id);

    const behind = waiting.slice(1);
    await eventually(
      () => behind.every((c, i) => lastQueueUpdate(c)?.position === i + 1),
      "positions 1..4 after the first was served",
    );
    expect(await s.openRoomsOf(ada.person.id)).toHaveLength(3);
  });

  it("customers who leave the queue are told once that they are out of it", async () => {
    for (const c of waiting.slice(1)) {
      await s.close(c.person, c.room.id);
      await c.client.waitFor("queueUpdated", (p) => p.roomId === c.room.id && p.position === null);
    }
    const counts = await s.roomCounts();
    expect([counts["waiting"] ?? 0, counts["open"]]).toEqual([0, 15]);
  });

  it("a busy agent keeps their chats but gets no new one while others do", async () => {
    const ben = agent(1);
    const cat = agent(2);
    const busy = await ben.client.send("setStatus", { status: "busy" });
    expect(busy).toMatchObject({ status: "OK", data: { agentId: ben.person.id, status: "busy" } });
    await s.close(ben.person, (await s.openRoomsOf(ben.person.id))[0]!);
    await s.close(cat.person, (await s.openRoomsOf(cat.person.id))[0]!);

    // Cat has room and is available; Ben has room but is busy.
    const first = await s.customerWrites("newcomer-1");
    expect(
      await first.client.waitFor("supportJoined", (p) => p.roomId === first.room.id),
    ).toMatchObject({ agentId: cat.person.id });
    const second = await s.customerWrites("newcomer-2");
    byRoom.set(first.room.id, first).set(second.room.id, second);
    const queued = await second.client.waitFor(
      "queueUpdated",
      (p) => p.roomId === second.room.id && p.position === 1,
    );
    expect(queued.agentsOnline).toBe(5);
    expect((await s.roomCounts())["waiting"]).toBe(1);
    expect(ben.client.all("roomAssigned")).toHaveLength(3);
    expect(await s.openRoomsOf(ben.person.id)).toHaveLength(2);

    // Available again: the waiting customer goes to Ben.
    expect(await ben.client.send("setStatus", { status: "available" })).toMatchObject({
      status: "OK",
      data: { status: "available" },
    });
    expect(
      await second.client.waitFor("supportJoined", (p) => p.roomId === second.room.id),
    ).toMatchObject({ agentId: ben.person.id });
    expect(joinedBy(second)).toEqual([ben.person.id]);
  });

  it("an agent whose only socket closes loses their rooms after the grace, to agents with room", async () => {
    const [ada, , cat, dan, eli] = agents as [
      Participant,
      Participant,
      Participant,
      Participant,
      Participant,
    ];
    for (const a of [cat, dan, eli]) {
      await s.close(a.person, (await s.openRoomsOf(a.person.id))[0]!);
    }
    const adaRooms = await s.openRoomsOf(ada.person.id);
    expect(adaRooms).toHaveLength(3);
    const stranded = adaRooms.map((id) => byRoom.get(id)!);

    ada.client.close();

    for (const c of stranded) {
      // The customer is told the room is waiting again, then who took it.
      await c.client.waitFor(
        "roomUpdated",
        (p) => p.room.id === c.room.id && p.room.status === "waiting",
      );
      await c.client.waitFor(
        "supportJoined",
        (p) => p.roomId === c.room.id && p.agentId !== ada.person.id,
      );
    }
    const takers = stranded.map((c) => joinedBy(c).at(-1));
    expect(new Set(takers)).toEqual(new Set(ids([cat, dan, eli])));
    expect(await s.openRoomsOf(ada.person.id)).toEqual([]);
    await eventually(
      async () =>
        (await s.agentsSeenBy(agent(1).person)).some(
          (a) => a.agentId === ada.person.id && !a.online && a.load === 0,
        ),
      "Ada listed offline with no chats",
    );
  });

  it("transfers within the target's capacity and refuses a full target", async () => {
    const [, ben, cat, dan] = agents as [Participant, Participant, Participant, Participant];
    await s.close(cat.person, (await s.openRoomsOf(cat.person.id))[0]!);
    const bens = await s.openRoomsOf(ben.person.id);
    expect(bens).toHaveLength(3);
    const [handed, kept] = bens as [string, string];
    const url = s.stack().gatewayUrl;

    const moved = await rest(url, ben.person, "POST", `/chat/support/room/${handed}/transfer`, {
      agentId: cat.person.id,
    });
    expect(moved.status).toBe(200);
    expect(ChatRoom.parse(moved.body)).toMatchObject({ supportAgentId: cat.person.id });
    const customer = byRoom.get(handed)!;
    await customer.client.waitFor(
      "supportJoined",
      (p) => p.roomId === handed && p.agentId === cat.person.id,
    );
    await ben.client.waitFor(
      "roomUnassigned",
      (p) => p.roomId === handed && p.reason === "transferred",
    );
    await cat.client.waitFor("roomAssigned", (p) => p.room.id === handed);

    const refused = await rest(url, ben.person, "POST", `/chat/support/room/${kept}/transfer`, {
      agentId: dan.person.id,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: "AGENT_AT_CAPACITY" } });
    expect(await s.openRoomsOf(ben.person.id)).toEqual(bens.filter((id) => id !== handed));
  });

  it("lists every agent with presence and load, and nobody ever went over capacity", async () => {
    await eventually(async () => {
      const list = await s.agentsSeenBy(agent(1).person);
      const view = (p: Participant) => list.find((a) => a.agentId === p.person.id);
      return (
        view(agent(0))?.online === false &&
        agents.slice(1).every((a) => view(a)?.online === true) &&
        JSON.stringify(agents.map((a) => view(a)?.load)) === JSON.stringify([0, 2, 3, 3, 3])
      );
    }, "agent list with loads 0, 2, 3, 3, 3");
    const list = await s.agentsSeenBy(agent(1).person);
    for (const a of agents) {
      expect(list.find((v) => v.agentId === a.person.id)).toMatchObject({
        agentName: a.person.name,
        status: "available",
        maxChats: 3,
      });
    }
    expect(await s.highestLoad()).toBeLessThanOrEqual(3);
    // Each customer who left the queue was told so exactly once.
    for (const c of waiting.slice(1)) {
      const outs = c.client
        .all("queueUpdated")
        .filter((p) => p.roomId === c.room.id && p.position === null);
      expect(outs).toHaveLength(1);
    }
  });
});

describe("a customer who writes while no agent is online", () => {
  const s = scenario();

  beforeAll(async () => {
    await s.setUp();
  });
  afterAll(async () => {
    await s.tearDown();
  });

  it("is told nobody is online, keeps writing, and is served when an agent comes", async () => {
    const url = s.stack().gatewayUrl;
    const ann = await s.customerWrites("Ann");
    const told = await ann.client.waitFor("queueUpdated", (p) => p.roomId === ann.room.id);
    expect(told).toEqual({
      roomId: ann.room.id,
      position: 1,
      estimatedWaitSeconds: null,
      agentsOnline: 0,
    });
    const asked = await rest(url, ann.person, "GET", `/chat/room/${ann.room.id}/queue`);
    expect(asked.body).toEqual({
      roomId: ann.room.id,
      position: 1,
      estimatedWaitSeconds: null,
      agentsOnline: 0,
    });
    for (const [i, text] of ["Is anyone there?", "My order #42 never came"].entries()) {
      const reply = await ann.client.send("sendMessage", {
        roomId: ann.room.id,
        message: text,
        clientMessageId: `Ann-${i + 2}`,
      });
      expect(reply).toMatchObject({ status: "OK", data: { seq: i + 2 } });
    }

    const zoe = await s.join("agent", "Zoe");
    const assigned = await zoe.client.waitFor("roomAssigned", (p) => p.room.id === ann.room.id);
    expect(assigned.room).toMatchObject({ status: "open", supportAgentId: zoe.person.id });
    expect(
      await ann.client.waitFor("supportJoined", (p) => p.roomId === ann.room.id),
    ).toMatchObject({ agentId: zoe.person.id, agentName: "Zoe" });
    await ann.client.waitFor(
      "queueUpdated",
      (p) => p.roomId === ann.room.id && p.position === null,
    );

    const history = await rest(url, zoe.person, "GET", `/chat/room/${ann.room.id}/messages`);
    expect(
      ChatMessage.array()
        .parse(history.body)
        .map((m) => [m.seq, m.message]),
    ).toEqual([
      [1, "Ann needs help"],
      [2, "Is anyone there?"],
      [3, "My order #42 never came"],
    ]);
    expect(await zoe.client.send("joinRoom", { roomId: ann.room.id })).toMatchObject({
      status: "OK",
    });
    await zoe.client.send("sendMessage", {
      roomId: ann.room.id,
      message: "Hi Ann, I am on it.",
      clientMessageId: "zoe-1",
    });
    expect(
      await ann.client.waitFor("newMessage", (m) => m.clientMessageId === "zoe-1"),
    ).toMatchObject({ seq: 4, isFromSupport: true, senderId: zoe.person.id });
  });
});
