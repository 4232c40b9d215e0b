-- Canned responses as their streams (`canned-<id>`) say they are now. Deleted ones stay as
-- tombstones (deleted_at set), so the projection keeps what the log says about every one.
CREATE TABLE "canned_responses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"shortcut" text NOT NULL,
	"text" text NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by_id" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by_id" text NOT NULL,
	"updated_by_name" text NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
-- One live canned response per shortcut: the last guard behind the decider's check, so of two
-- writers racing for the same shortcut exactly one commits.
CREATE UNIQUE INDEX "canned_responses_live_shortcut_unique" ON "canned_responses" USING btree ("shortcut") WHERE "deleted_at" IS NULL;
