CREATE TABLE "events" (
	"global_position" bigserial PRIMARY KEY NOT NULL,
	"stream_id" text NOT NULL,
	"stream_position" integer NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"metadata" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"transaction_id" xid8 DEFAULT pg_current_xact_id() NOT NULL,
	CONSTRAINT "events_event_id_unique" UNIQUE("event_id"),
	CONSTRAINT "events_stream_position_unique" UNIQUE("stream_id","stream_position"),
	CONSTRAINT "events_stream_position_positive" CHECK ("stream_position" >= 1)
);
--> statement-breakpoint
CREATE INDEX "events_relay_order_idx" ON "events" USING btree ("transaction_id","global_position");
--> statement-breakpoint
-- The log is the source of truth: the database itself refuses to change or remove history.
CREATE FUNCTION "events_are_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP
		USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "events_no_update_or_delete" BEFORE UPDATE OR DELETE ON "events"
	FOR EACH ROW EXECUTE FUNCTION "events_are_append_only"();
--> statement-breakpoint
CREATE TRIGGER "events_no_truncate" BEFORE TRUNCATE ON "events"
	FOR EACH STATEMENT EXECUTE FUNCTION "events_are_append_only"();
--> statement-breakpoint
CREATE TABLE "chat_rooms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"user_name" text NOT NULL,
	"support_agent_id" text,
	"support_agent_name" text,
	"status" text NOT NULL,
	"last_message" text,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"last_message_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"unread_for_customer" integer DEFAULT 0 NOT NULL,
	"unread_for_support" integer DEFAULT 0 NOT NULL,
	"read_seq_customer" integer DEFAULT 0 NOT NULL,
	"read_seq_support" integer DEFAULT 0 NOT NULL,
	"assigned_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "chat_rooms_status_check" CHECK ("status" IN ('waiting', 'open', 'closed'))
);
--> statement-breakpoint
CREATE INDEX "chat_rooms_user_id_idx" ON "chat_rooms" USING btree ("user_id");
--> statement-breakpoint
CREATE INDEX "chat_rooms_support_agent_id_idx" ON "chat_rooms" USING btree ("support_agent_id");
--> statement-breakpoint
CREATE INDEX "chat_rooms_status_idx" ON "chat_rooms" USING btree ("status");
--> statement-breakpoint
-- A customer has at most one room that is not closed; concurrent opens collide here.
CREATE UNIQUE INDEX "chat_rooms_one_open_per_user" ON "chat_rooms" USING btree ("user_id") WHERE "status" <> 'closed';
--> statement-breakpoint
CREATE TABLE "chat_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"chat_room_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"sender_id" text NOT NULL,
	"sender_name" text NOT NULL,
	"sender_role" text NOT NULL,
	"message" text NOT NULL,
	"is_from_support" boolean NOT NULL,
	"is_read" boolean DEFAULT false NOT NULL,
	"client_message_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "chat_messages_room_seq_unique" UNIQUE("chat_room_id","seq"),
	CONSTRAINT "chat_messages_room_sender_client_id_unique" UNIQUE("chat_room_id","sender_id","client_message_id")
);
--> statement-breakpoint
CREATE INDEX "chat_messages_chat_room_id_idx" ON "chat_messages" USING btree ("chat_room_id");
--> statement-breakpoint
CREATE INDEX "chat_messages_sender_id_idx" ON "chat_messages" USING btree ("sender_id");
--> statement-breakpoint
CREATE TABLE "relay_checkpoint" (
	"name" text PRIMARY KEY NOT NULL,
	"last_transaction_id" xid8 DEFAULT '0'::xid8 NOT NULL,
	"last_position" bigint DEFAULT 0 NOT NULL
);
