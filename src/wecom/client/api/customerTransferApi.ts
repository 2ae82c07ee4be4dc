import { assertCharsBetween, assertCountBetween, assertIntBetween } from "../limits";
import { cursorPages } from "../pagination";
import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";

export interface TransferCustomerRequest {
  handover_userid: string;
  takeover_userid: string;
  /** 1–100; batching is the caller's job. */
  external_userid: string[];
}

export interface OnJobTransferCustomerRequest extends TransferCustomerRequest {
  /** Shown to the customer; at most 200 characters. */
  transfer_success_msg?: string;
}

/** errcode 0 only means the transfer started; takeover follows after 24 h unless the customer refuses. */
export interface TransferCustomerResult extends WeComReply {
  customer: Array<{ external_userid: string; errcode: number }>;
}

export interface TransferResultRequest {
  handover_userid: string;
  takeover_userid: string;
  cursor?: string;
}

/** 1 done, 2 waiting, 3 customer refused, 4 takeover member's customer limit reached, 5 no record. */
export type TransferStatus = 1 | 2 | 3 | 4 | 5;

export interface TransferResultPage extends WeComReply {
  customer: Array<{ external_userid: string; status: TransferStatus; takeover_time: number }>;
  next_cursor?: string;
}

export interface UnassignedRequest {
  page_id?: number;
  /** At most 1000. */
  page_size?: number;
  /** Needed beyond 50,000 records. */
  cursor?: string;
}

export interface UnassignedPage extends WeComReply {
  info: Array<{ handover_userid: string; external_userid: string; dimission_time: number }>;
  is_last: boolean;
  next_cursor?: string;
}

const onJobResultPath = "/cgi-bin/externalcontact/transfer_result";
const resignedResultPath = "/cgi-bin/externalcontact/resigned/transfer_result";
const unassignedPath = "/cgi-bin/externalcontact/get_unassigned_list";

/**
 * 在职继承 and 离职继承 of customers. On-job and resigned are separate endpoints on purpose:
 * using the on-job one for a leaver is a known mistake elsewhere.
 */
export class CustomerTransferApi {
  constructor(private readonly http: WeComHttp) {}

  async transferCustomer(request: OnJobTransferCustomerRequest): Promise<TransferCustomerResult> {
    assertCountBetween("external_userid", request.external_userid, 1, 100);
    assertCharsBetween("transfer_success_msg", request.transfer_success_msg, 0, 200);
    return this.transfer("/cgi-bin/externalcontact/transfer_customer", request);
  }

  async resignedTransferCustomer(request: TransferCustomerRequest): Promise<TransferCustomerResult> {
    assertCountBetween("external_userid", request.external_userid, 1, 100);
    const { handover_userid, takeover_userid, external_userid } = request;
    return this.transfer("/cgi-bin/externalcontact/resigned/transfer_customer", {
      handover_userid,
      takeover_userid,
      external_userid,
    });
  }

  transferResult(request: TransferResultRequest): Promise<TransferResultPage> {
    return this.result(onJobResultPath, request);
  }

  resignedTransferResult(request: TransferResultRequest): Promise<TransferResultPage> {
    return this.result(resignedResultPath, request);
  }

  /** Every page of an on-job transfer's status, following next_cursor. */
  transferResultPages(handover_userid: string, takeover_userid: string): AsyncGenerator<TransferResultPage> {
    return this.resultPages(onJobResultPath, handover_userid, takeover_userid);
  }

  resignedTransferResultPages(handover_userid: string, takeover_userid: string): AsyncGenerator<TransferResultPage> {
    return this.resultPages(resignedResultPath, handover_userid, takeover_userid);
  }

  async getUnassignedList(request: UnassignedRequest = {}): Promise<UnassignedPage> {
    assertIntBetween("page_size", request.page_size, 1, 1000);
    const reply = await this.http.post<UnassignedPage>("externalcontact", unassignedPath, {
      secret: "customer",
      body: request,
    });
    return { ...reply, info: reply.info ?? [], is_last: reply.is_last ?? true };
  }

  /** Every unassigned customer page, by cursor (page_id stops working past 50,000 records). */
  unassignedPages(pageSize = 1000): AsyncGenerator<UnassignedPage> {
    return cursorPages(
      unassignedPath,
      (cursor) => this.getUnassignedList({ page_size: pageSize, cursor }),
      (page) => (page.is_last ? undefined : page.next_cursor),
    );
  }

  private async transfer(path: string, body: object): Promise<TransferCustomerResult> {
    const reply = await this.http.post<TransferCustomerResult>("externalcontact", path, { secret: "customer", body });
    return { ...reply, customer: reply.customer ?? [] };
  }

  private async result(path: string, body: TransferResultRequest): Promise<TransferResultPage> {
    const reply = await this.http.post<TransferResultPage>("externalcontact", path, { secret: "customer", body });
    return { ...reply, customer: reply.customer ?? [] };
  }

  private resultPages(
    path: string,
    handover_userid: string,
    takeover_userid: string,
  ): AsyncGenerator<TransferResultPage> {
    return cursorPages(
      path,
      (cursor) => this.result(path, { handover_userid, takeover_userid, cursor }),
      (page) => page.next_cursor,
    );
  }
}
