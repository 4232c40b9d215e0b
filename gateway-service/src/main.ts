import { serviceMain } from "@support-chat/service-kit";
import { GatewayEnv } from "./config.js";
import { startGatewayService } from "./service.js";

serviceMain("gateway-service", GatewayEnv, startGatewayService);
