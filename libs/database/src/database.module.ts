import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseConnection, type DatabaseOptions } from './database-connection.js';
import { DatabaseNotifications } from './notifications.js';
import { PrismaService } from './prisma.service.js';
import { Sql } from './sql.js';

@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        { provide: DatabaseConnection, useFactory: () => DatabaseConnection.open(options) },
        PrismaService,
        Sql,
        DatabaseNotifications,
      ],
      exports: [DatabaseConnection, PrismaService, Sql, DatabaseNotifications],
    };
  }
}
