import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { t, type MessageKey } from "./i18n/text.js";
import { useSessionStore } from "./stores/session.js";

declare module "vue-router" {
  interface RouteMeta {
    /** Only agents, managers and admins. */
    support?: boolean;
    /** Only managers and admins. */
    manager?: boolean;
    /** The page title's message key. */
    title?: MessageKey;
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
        meta: { title: "titles.product" },
      },
      {
        path: "shipping",
        name: "shipping",
        component: () => import("./pages/ShippingPage.vue"),
        meta: { title: "titles.shipping" },
      },
    ],
  },
  {
    path: "/login",
    name: "login",
    component: () => import("./pages/LoginPage.vue"),
    meta: { title: "titles.login" },
  },
  {
    path: "/admin/support",
    name: "support",
    component: () => import("./pages/SupportConsolePage.vue"),
    meta: { support: true, title: "titles.console" },
  },
  {
    path: "/admin/support/webhooks",
    name: "webhooks",
    component: () => import("./pages/SupportWebhooksPage.vue"),
    meta: { support: true, manager: true, title: "titles.webhooks" },
  },
  {
    path: "/admin/support/reports",
    name: "reports",
    component: () => import("./pages/SupportReportsPage.vue"),
    meta: { support: true, manager: true, title: "titles.reports" },
  },
  {
    path: "/not-allowed",
    name: "not-allowed",
    component: () => import("./pages/NotAllowedPage.vue"),
    meta: { title: "titles.notAllowed" },
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
    if (to.meta.title) document.title = t(to.meta.title);
  });
  return router;
};
