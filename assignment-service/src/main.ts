import { serviceMain } from "@support-chat/service-kit";
import { AssignmentConfig, startAssignmentService } from "./service.js";

serviceMain("assignment-service", AssignmentConfig, startAssignmentService);
