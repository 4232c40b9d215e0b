-- Labels support staff put on a room; only support staff's views of the room carry them.
ALTER TABLE "chat_rooms" ADD COLUMN "labels" text[] DEFAULT '{}'::text[] NOT NULL;
--> statement-breakpoint
CREATE INDEX "chat_rooms_labels_idx" ON "chat_rooms" USING gin ("labels");
--> statement-breakpoint
-- Private notes live in a table of their own: no query that serves customers reads it.
CREATE TABLE "room_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"room_id" uuid NOT NULL,
	"after_seq" integer NOT NULL,
	"author_id" text NOT NULL,
	"author_name" text NOT NULL,
	"author_role" text NOT NULL,
	"text" text NOT NULL,
	"client_note_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "room_notes_room_author_client_id_unique" UNIQUE("room_id","author_id","client_note_id")
);
--> statement-breakpoint
CREATE INDEX "room_notes_room_id_idx" ON "room_notes" USING btree ("room_id","created_at");
--> statement-breakpoint
-- What support staff search: one document per message, per note, and per room (the customer's
-- name and the room's labels). The 'simple' configuration neither stems nor drops stop words,
-- so product names, order numbers and words of any language match as written.
CREATE TABLE "search_documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"room_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"seq" integer,
	"body" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"document" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "body")) STORED NOT NULL,
	CONSTRAINT "search_documents_kind_check" CHECK ("kind" IN ('room', 'message', 'note'))
);
--> statement-breakpoint
CREATE INDEX "search_documents_document_idx" ON "search_documents" USING gin ("document");
--> statement-breakpoint
CREATE INDEX "search_documents_room_id_idx" ON "search_documents" USING btree ("room_id");
--> statement-breakpoint
-- Every message gets its search document in the statement that stores it, whichever path
-- writes `chat_messages` (one event at a time, the batched message path, or a rebuild).
CREATE FUNCTION "index_message_for_search"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW."message" <> '' THEN
		INSERT INTO "search_documents" ("id", "room_id", "kind", "seq", "body", "occurred_at")
		VALUES (NEW."id", NEW."chat_room_id", 'message', NEW."seq", NEW."message", NEW."created_at");
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "chat_messages_search_document" AFTER INSERT ON "chat_messages"
	FOR EACH ROW EXECUTE FUNCTION "index_message_for_search"();
