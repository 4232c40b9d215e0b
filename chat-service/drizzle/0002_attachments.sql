-- Attachments recorded in rooms (the bytes live in object storage under the attachment id).
CREATE TABLE "chat_attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"chat_room_id" uuid NOT NULL,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"uploader_id" text NOT NULL,
	"uploader_role" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "chat_attachments_chat_room_id_idx" ON "chat_attachments" USING btree ("chat_room_id");
--> statement-breakpoint
-- The descriptors of the attachments a message carries, as the MessagePosted event has them.
ALTER TABLE "chat_messages" ADD COLUMN "attachments" jsonb DEFAULT '[]'::jsonb NOT NULL;
