import { serviceMain } from "@support-chat/service-kit";
import { ChatServiceConfig, startChatService } from "./service.js";

// Stopping drains NATS subscriptions, waits for in-flight commands, stops the relay, closes the pool.
serviceMain("chat-service", ChatServiceConfig, startChatService);
