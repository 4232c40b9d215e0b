CREATE TABLE "assignment_agent_activity" (
	"agent_id" text PRIMARY KEY NOT NULL,
	"last_assigned_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignment_agent_settings" (
	"agent_id" text PRIMARY KEY NOT NULL,
	"max_chats" integer,
	"status" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignment_agent_settings_max_chats" CHECK ("assignment_agent_settings"."max_chats" is null or "assignment_agent_settings"."max_chats" >= 0),
	CONSTRAINT "assignment_agent_settings_status" CHECK ("assignment_agent_settings"."status" is null or "assignment_agent_settings"."status" in ('available', 'busy', 'offline'))
);
--> statement-breakpoint
CREATE TABLE "assignment_requeued_rooms" (
	"room_id" uuid PRIMARY KEY NOT NULL,
	"requeued_at" timestamp with time zone NOT NULL
);
