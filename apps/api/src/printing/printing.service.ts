import { Injectable } from '@nestjs/common';
import { IVA_CONDITIONS } from '#libs/afip-padron';
import { qrPayload, qrUrl } from '#libs/afip-wsfe';
import {
  type AuthorizedVoucher,
  type IssuerData,
  type ItemLine,
  printable,
  type PrintableInvoice,
  printedType,
  type ReceiverData,
  renderA4,
  renderTicket,
} from '#libs/invoice-print';
import { AppError } from '../common/app-error.js';
import { AppConfig } from '../config/app.config.js';
import { type TaxpayerView, taxpayerView } from '../taxpayers/taxpayer-view.js';
import { TaxpayersService } from '../taxpayers/taxpayers.service.js';
import { IssuerProfilesService } from './issuer-profiles.service.js';
import { PrintableVoucherRepository, type StoredForPrint } from './printable-voucher.repository.js';

export interface VoucherRef {
  cuit: number;
  ptoVta: number;
  cbteTipo: number;
  cbteNro: number;
}

/** Receivers identified by a CUIT-like key, whose name and address come from ARCA's registry. */
const REGISTRY_DOCUMENTS = new Set([80, 86]);

/**
 * A voucher as printed: what ARCA authorized (the journal's detail as sent, the invoice row's CAE), the lines the
 * POS sold, the issuer's profile and both parties' data from ARCA's registry. Only an authorized voucher prints.
 */
@Injectable()
export class PrintingService {
  constructor(
    private readonly vouchers: PrintableVoucherRepository,
    private readonly profiles: IssuerProfilesService,
    private readonly taxpayers: TaxpayersService,
    private readonly config: AppConfig,
  ) {}

  async pdf(ref: VoucherRef, format: 'a4' | 'ticket'): Promise<Buffer> {
    const invoice = await this.printable(ref);
    return format === 'a4' ? renderA4(invoice) : renderTicket(invoice);
  }

  /** The RG 4892 URL of an authorized voucher: the text its QR encodes. */
  async qrUrl(ref: VoucherRef): Promise<string> {
    return this.authorized(ref, await this.stored(ref)).qrUrl;
  }

  async printable(ref: VoucherRef): Promise<PrintableInvoice> {
    const stored = await this.stored(ref);
    const voucher = this.authorized(ref, stored);
    const [issuer, receiver] = await Promise.all([this.issuer(ref.cuit), this.receiver(ref.cuit, voucher)]);
    return printable(voucher, issuer, receiver);
  }

  private async stored(ref: VoucherRef): Promise<StoredForPrint> {
    if (!printedType(ref.cbteTipo))
      throw new AppError('NOT_FOUND', `voucher type ${ref.cbteTipo} has no printed form in this gateway`, {
        field: 'cbteTipo',
      });
    return this.vouchers.find({ environment: this.config.afip.environment, ...ref }, ref.cbteNro);
  }

  private authorized(ref: VoucherRef, stored: StoredForPrint): AuthorizedVoucher {
    const name = `voucher ${ref.cbteNro} of type ${ref.cbteTipo} at point of sale ${ref.ptoVta} of CUIT ${ref.cuit}`;
    switch (stored.kind) {
      case 'none':
        throw new AppError('NOT_FOUND', `the gateway has no authorized ${name}`);
      case 'rejected':
        throw new AppError(
          'NOT_FOUND',
          `ARCA rejected ${name}: a rejected voucher has no printed form` +
            (stored.observations.length
              ? ` (${stored.observations.map((o) => `${o.code} ${o.msg}`).join('; ')})`
              : ''),
        );
      case 'superseded':
        throw new AppError(
          'NOT_FOUND',
          `${name} is no longer held by ARCA (${stored.reason}): it has no printed form`,
        );
      case 'in-doubt':
        throw new AppError(
          'CONFLICT',
          `${name} was sent to ARCA and its outcome is not known yet (request ${stored.requestId}); it prints once ` +
            'the reconciler has settled it',
          { requestId: stored.requestId },
          { retryAfterSeconds: 30 },
        );
    }
    const detail = stored.detail;
    const url = qrUrl(
      qrPayload({
        ...ref,
        cbteFch: stored.cbteFch,
        impTotal: stored.impTotal,
        monId: stored.monId,
        monCotiz: stored.monCotiz,
        docTipo: stored.docTipo,
        docNro: stored.docNro,
        codAut: stored.cae,
        authorizationType: stored.emisionTipo,
      }),
    );
    return {
      environment: this.config.afip.environment,
      ...ref,
      detail: {
        ...detail,
        CbteFch: stored.cbteFch,
        MonId: detail.MonId ?? 'PES',
        MonCotiz: detail.MonCotiz ?? 1,
      },
      items: postedItems(stored.posted),
      authorization: { type: stored.emisionTipo, code: stored.cae, due: stored.caeFchVto },
      observations: stored.observations,
      qrUrl: url,
    };
  }

  private async issuer(cuit: number): Promise<IssuerData> {
    const profile = this.profiles.get(cuit);
    if (!profile)
      throw new AppError(
        'MISCONFIGURED',
        `CUIT ${cuit} has no print profile: write ${cuit}.issuer.json beside its certificate (gross income number ` +
          'and activity start; see the README, "Printable invoices")',
      );
    const registry =
      profile.name && profile.address && profile.ivaCondition ? undefined : await this.person(cuit, cuit);
    const name = profile.name ?? registry?.name ?? undefined;
    const address = profile.address ?? (registry ? addressOf(registry) : undefined);
    const condition =
      profile.ivaCondition ??
      (registry?.ivaCondition.condicionIvaReceptorId
        ? IVA_CONDITIONS[registry.ivaCondition.condicionIvaReceptorId]
        : undefined);
    const missing = [!name && 'name', !address && 'address', !condition && 'ivaCondition'].filter(Boolean);
    if (missing.length > 0 || !name || !address || !condition)
      throw new AppError(
        'MISCONFIGURED',
        `ARCA's registry does not give CUIT ${cuit}'s ${missing.join(', ')}: add ${missing.length > 1 ? 'them' : 'it'} ` +
          `to ${cuit}.issuer.json`,
      );
    return {
      name,
      address,
      ivaCondition: condition,
      grossIncome: profile.grossIncome,
      activityStart: profile.activityStart,
      ...(profile.logo ? { logo: profile.logo } : {}),
    };
  }

  private async receiver(cuit: number, voucher: AuthorizedVoucher): Promise<ReceiverData> {
    const detail = voucher.detail;
    const condition = detail.CondicionIVAReceptorId
      ? IVA_CONDITIONS[detail.CondicionIVAReceptorId]
      : undefined;
    const base = condition ? { ivaCondition: condition } : {};
    if (!REGISTRY_DOCUMENTS.has(detail.DocTipo) || !detail.DocNro) return base;
    const person = await this.person(cuit, detail.DocNro);
    if (!person) return base;
    const address = addressOf(person);
    return { ...base, ...(person.name ? { name: person.name } : {}), ...(address ? { address } : {}) };
  }

  /** The registry's view of a person (cached, TAXPAYER_CACHE_HOURS), or undefined when ARCA has none. */
  private async person(represented: number, idPersona: number): Promise<TaxpayerView | undefined> {
    const found = await this.taxpayers.persona(represented, idPersona);
    return found.persona
      ? taxpayerView(idPersona, this.config.afip.environment, found.persona, found)
      : undefined;
  }
}

function addressOf(view: TaxpayerView): string | undefined {
  const address = view.fiscalAddress;
  if (!address) return undefined;
  return [address.street, address.locality, address.province].filter(Boolean).join(', ') || undefined;
}

/** The lines as posted (validated then), one object or a list. */
function postedItems(posted: unknown): ItemLine[] | undefined {
  const items = (posted as { Items?: unknown } | undefined)?.Items;
  if (items === undefined || items === null) return undefined;
  return (Array.isArray(items) ? items : [items]) as ItemLine[];
}
