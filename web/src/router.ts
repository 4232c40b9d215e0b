import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { useSessionStore } from "./stores/session.js";

declare module "vue-router" {
  interface RouteMeta {
    /** Only agents, managers and admins. */
    support?: boolean;
    /** Only managers and admins. */
    manager?: boolean;
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: "/",
    component: () => import("./pages/StorefrontLayout.vue"),
    children: [
      {
        path: "",
        name: "product",
        component: () => import("./pages/ProductPage.vue"),
        meta: { title: "FullMag MagSafe Car Mount — FullMag" },
      },
      {
        path: "shipping",
        name: "shipping",
        component: () => import("./pages/ShippingPage.vue"),
        meta: { title: "Shipping & returns — FullMag" },
      },
    ],
  },
  {
    path: "/login",
    name: "login",
    component: () => import("./pages/LoginPage.vue"),
    meta: { title: "Sign in — FullMag" },
  },
  {
    path: "/admin/support",
    name: "support",
    component: () => import("./pages/SupportConsolePage.vue"),
    meta: { support: true, title: "Support console — FullMag" },
  },
  {
    path: "/admin/support/webhooks",
    name: "webhooks",
    component: () => import("./pages/SupportWebhooksPage.vue"),
    meta: { support: true, manager: true, title: "Webhooks — FullMag" },
  },
  {
    path: "/admin/support/reports",
    name: "reports",
    component: () => import("./pages/SupportReportsPage.vue"),
    meta: { support: true, manager: true, title: "Support reports — FullMag" },
  },
  {
    path: "/not-allowed",
    name: "not-allowed",
    component: () => import("./pages/NotAllowedPage.vue"),
    meta: { title: "Not allowed — FullMag" },
  },
  { path: "/:rest(.*)*", redirect: "/" },
];

export const createAppRouter = () => {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach((to) => {
    if (!to.meta.support) return true;
    const session = useSessionStore();
    if (!session.signedIn) return { name: "login", query: { redirect: to.fullPath } };
    if (!session.isSupport) return { name: "not-allowed" };
    if (to.meta.manager && !session.isManager) return { name: "not-allowed" };
    return true;
  });
  router.afterEach((to) => {
    if (to.meta.title) document.title = to.meta.title;
  });
  return router;
};
