export const marker = "app-js";
