-- The customer's rating of a closed room (RoomRated), shown to support staff and the customer.
ALTER TABLE "chat_rooms" ADD COLUMN "rating" smallint;
--> statement-breakpoint
ALTER TABLE "chat_rooms" ADD COLUMN "rating_comment" text;
--> statement-breakpoint
ALTER TABLE "chat_rooms" ADD COLUMN "rated_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "chat_rooms" ADD CONSTRAINT "chat_rooms_rating_range" CHECK ("rating" BETWEEN 1 AND 5);
--> statement-breakpoint
-- The address the customer last gave in this room for transcripts; only services read it
-- (offline notices), never a room view.
ALTER TABLE "chat_rooms" ADD COLUMN "contact_email" text;
--> statement-breakpoint
CREATE INDEX "chat_rooms_rated_at_idx" ON "chat_rooms" USING btree ("rated_at") WHERE "rating" IS NOT NULL;
