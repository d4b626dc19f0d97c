# syntax=docker/dockerfile:1
# Kimi Platform: one image for `serve`, `worker` and `migrate` (the argument picks which).
#   docker build -t ghcr.io/kimi-platform/kimi-platform:dev .
# The build stage compiles the platform's TypeScript to dist/ (packages/platform/build.mjs); there is
# no dashboard package yet, so there is nothing else to compile. The runtime stage holds only
# production dependencies and the compiled JavaScript.

FROM node:20.19-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/platform/package.json packages/platform/
COPY packages/sdk/package.json packages/sdk/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json ./
COPY packages/platform packages/platform
RUN npm run build

FROM node:20.19-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/platform/package.json packages/platform/
COPY packages/sdk/package.json packages/sdk/
COPY bench/package.json bench/
# why: no dependency needs its install script at run time (msgpackr falls back to JavaScript).
RUN npm ci --omit=dev --workspace @kimi/platform --include-workspace-root=false --no-audit --no-fund --ignore-scripts \
  && npm cache clean --force

FROM node:20.19-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    KIMI_DATA_DIR=/tmp/kimi
WORKDIR /app
RUN groupadd --system --gid 10001 kimi \
  && useradd --system --uid 10001 --gid kimi --home-dir /nonexistent --shell /usr/sbin/nologin kimi
COPY --from=production-dependencies --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /src/package.json ./
COPY --from=build --chown=root:root /src/packages/platform/package.json packages/platform/
COPY --from=build --chown=root:root /src/packages/platform/dist packages/platform/dist
# why: the files stay root-owned and read-only to the process; the only writable place it needs is
# KIMI_DATA_DIR under /tmp (mount an emptyDir or tmpfs there with a read-only root filesystem).
USER 10001:10001
EXPOSE 8080
# why: Node is PID 1 here and handles SIGTERM/SIGINT itself (graceful drain); run with `docker run --init`
# or `init: true` only if you add child processes that need reaping.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# why: the entry point is the image contract's command (Kubernetes `command`), the argument its `args`:
# `docker run IMAGE worker` or `docker run IMAGE migrate`; no shell wrapper, so Node gets the signals.
ENTRYPOINT ["node", "packages/platform/dist/main.js"]
CMD ["serve"]
