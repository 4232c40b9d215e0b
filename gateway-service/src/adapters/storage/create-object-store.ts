import type { GatewayConfig } from "../../config.js";
import { createFsObjectStore } from "./fs-object-store.js";
import type { ObjectStore } from "./object-store.js";
import { createS3ObjectStore } from "./s3-object-store.js";

/** The attachment store ATTACHMENT_STORAGE names. */
export const createObjectStore = async (config: GatewayConfig): Promise<ObjectStore> => {
  if (config.ATTACHMENT_STORAGE === "filesystem") {
    return createFsObjectStore(config.ATTACHMENT_DIR);
  }
  return createS3ObjectStore({
    bucket: config.S3_BUCKET ?? "",
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    keyPrefix: config.S3_KEY_PREFIX,
  });
};
