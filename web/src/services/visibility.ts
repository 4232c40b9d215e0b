import { ref } from "vue";

/** Whether the page is on screen; reads count as read only when the reader can see them. */
export const pageVisible = ref(
  typeof document === "undefined" ? true : document.visibilityState !== "hidden",
);

if (typeof document !== "undefined") {
  document.addEventListener("visibilitychange", () => {
    pageVisible.value = document.visibilityState !== "hidden";
  });
}
