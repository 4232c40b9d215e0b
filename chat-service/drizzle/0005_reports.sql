-- Reports for managers: what each room's events say about it (report_rooms), and the
-- stretches of time each agent held a room (report_assignments). Both are projections of the
-- log like chat_rooms, updated in the same transaction and rebuilt with them.
CREATE TABLE "report_rooms" (
	"room_id" uuid PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"first_assigned_at" timestamp with time zone,
	"first_response_at" timestamp with time zone,
	"first_responder_id" text,
	"first_responder_name" text,
	"closed_at" timestamp with time zone,
	"last_agent_id" text,
	"rating" smallint,
	"rated_at" timestamp with time zone
);
--> statement-breakpoint
-- Every report picks the rooms opened in its period.
CREATE INDEX "report_rooms_opened_at_idx" ON "report_rooms" USING btree ("opened_at");
--> statement-breakpoint
CREATE TABLE "report_assignments" (
	"room_id" uuid NOT NULL,
	"n" integer NOT NULL,
	"agent_id" text NOT NULL,
	"agent_name" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "report_assignments_pk" PRIMARY KEY("room_id","n")
);
--> statement-breakpoint
-- Workload over time looks for the stretches that overlap each hour or day of the period.
CREATE INDEX "report_assignments_started_at_idx" ON "report_assignments" USING btree ("started_at");
