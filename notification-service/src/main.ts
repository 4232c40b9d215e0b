import { serviceMain } from "@support-chat/service-kit";
import { NotificationConfig } from "./config.js";
import { startNotificationService } from "./service.js";

serviceMain("notification-service", NotificationConfig, startNotificationService);
