# A minimal image of serverchat (docs/operations.md, "Containers"). Not built on the
# development machines: no container runtime there.
FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# The `node` npm package is a dependency (a Node 24 for npm start); the base image has one.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY examples ./examples
COPY LICENSE README.md ./
RUN mkdir /data && chown node:node /data
USER node
VOLUME ["/data"]
ENV SERVERCHAT_HOST=0.0.0.0 SERVERCHAT_PORT=8080 SERVERCHAT_DATA=/data SERVERCHAT_LOG_FORMAT=json SERVERCHAT_SHUTDOWN_GRACE=8
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# node itself is PID 1's only child of interest: exec form, no shell between.
CMD ["node", "src/cli.ts"]
