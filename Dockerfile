# syntax=docker/dockerfile:1
# WeCom Parent Guard — production image (issue 16).
#   - multi-stage: TypeScript is compiled in `build`; the final image has only the compiled service and its
#     production dependencies (no dev dependencies, no TypeScript, no tests);
#   - no embedded PostgreSQL: optional dependencies (the embedded-postgres binaries) are omitted, so the image
#     needs DATABASE_URL (production refuses to start without it anyway);
#   - runs as the unprivileged `node` user (uid 1000);
#   - the Tencent Finance SDK (libWeWorkFinanceSdk_C.so, not redistributable) is NOT in the image: mount it
#     read-only at /opt/wecom-finance-sdk/libWeWorkFinanceSdk_C.so and set
#     WECOM_FINANCE_SDK_PATH=/opt/wecom-finance-sdk/libWeWorkFinanceSdk_C.so (docs/operations.md).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY src ./src
COPY migrations ./migrations
COPY bench ./bench
RUN npx tsc -p tsconfig.build.json

FROM node:20-bookworm-slim AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    METRICS_PORT=9464 \
    LOG_PRETTY=false
WORKDIR /app
COPY --from=production-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
RUN mkdir -p /opt/wecom-finance-sdk /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
