# arca-gateway: build with the dev dependencies, run with the production ones only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# A heap ceiling for a 1 GB container; size it to yours (about three quarters of its memory).
ENV NODE_OPTIONS=--max-old-space-size=768
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY prisma ./prisma
COPY wsdl ./wsdl
# Named volumes take the ownership of these directories on first mount.
RUN mkdir -p /data /certs && chown node:node /data /certs
USER node
EXPOSE 8080
CMD ["node", "dist/apps/api/src/main.js"]
