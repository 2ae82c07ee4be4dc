import type { Database } from "../../src/platform/db/database";
import { applyContactEvent } from "../../src/org/directory/applyContactEvent";
import { parseEvent } from "../../src/wecom/events/parseEvent";
import type { ContactEvent } from "../../src/wecom/events/types";
import { eventFixture } from "../fixtures/wecom/loadFixture";
import { createTestDatabase } from "../support/testDatabase";

/** A change_contact event as WeCom sends it (path/90970, 90971), at the given CreateTime. */
function contactXml(changeType: string, createTime: number, body: string): string {
  return `<xml><ToUserName><![CDATA[ww-corp]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event><ChangeType>${changeType}</ChangeType>${body}</xml>`;
}

const asContact = (xml: string) => parseEvent(xml) as ContactEvent;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe("directory events as WeCom sends them", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.dataSource.query(`TRUNCATE staff, department, staff_userid_rename`);
  });

  const apply = (xml: string) => db.dataSource.transaction((m) => applyContactEvent(m, asContact(xml)));
  const staff = async () =>
    (await db.dataSource.query(`SELECT userid, name, department_ids, main_department, position, status FROM staff ORDER BY userid`)) as {
      userid: string;
      name: string;
      department_ids: number[];
      main_department: number | null;
      position: string | null;
      status: number;
    }[];
  const departments = async () =>
    (await db.dataSource.query(`SELECT id, name, parent_id, path, removed_at IS NOT NULL AS removed FROM department ORDER BY id`)) as {
      id: number;
      name: string;
      parent_id: number | null;
      path: number[];
      removed: boolean;
    }[];

  it("applies every Tencent sample: create_user, update_user with NewUserID, delete_user", async () => {
    await apply(eventFixture("change_contact.create_user").xml);
    expect(await staff()).toEqual([{ userid: "zhangsan", name: "张三", department_ids: [1, 2, 3], main_department: 1, position: "产品经理", status: 1 }]);
    await apply(eventFixture("change_contact.update_user").xml);
    expect((await staff()).map((s) => s.userid)).toEqual(["zhangsan001"]);
    // delete_user for the old userid at the same CreateTime as the rename reaches the renamed member.
    await apply(eventFixture("change_contact.delete_user").xml);
    expect(await staff()).toEqual([expect.objectContaining({ userid: "zhangsan001", status: 5 })]);
  });

  it("applies create_party and update_party (no department event was ever applied before: integer[] || text)", async () => {
    await apply(eventFixture("change_contact.create_party.real_capture").xml);
    await apply(eventFixture("change_contact.create_party").xml);
    await apply(eventFixture("change_contact.update_party").xml);
    expect(await departments()).toEqual([
      { id: 2, name: "张三", parent_id: 1, path: [2], removed: false },
      { id: 20, name: "综合车间党支部", parent_id: 6, path: [20], removed: false },
    ]);
    // The parents arrive later: every path is rebuilt from the parent links.
    await apply(contactXml("create_party", 1559661735, "<Id>1</Id><Name><![CDATA[总部]]></Name><ParentId>0</ParentId><Order>1</Order>"));
    await apply(contactXml("create_party", 1559661735, "<Id>6</Id><Name><![CDATA[生产部]]></Name><ParentId>2</ParentId><Order>1</Order>"));
    expect((await departments()).map((d) => [d.id, d.path])).toEqual([
      [1, [1]],
      [2, [1, 2]],
      [6, [1, 2, 6]],
      [20, [1, 2, 6, 20]],
    ]);
    await apply(eventFixture("change_contact.delete_party").xml.replace("1403610513", "1559661736"));
    expect((await departments()).find((d) => d.id === 2)?.removed).toBe(true);
  });

  it("applies update_user whose NewUserID is already in staff (the periodic sync mirrored the rename first)", async () => {
    await apply(contactXml("create_user", 100, "<UserID><![CDATA[zhangsan]]></UserID><Name><![CDATA[张三]]></Name><Department>2</Department>"));
    await db.dataSource.query(`UPDATE staff SET subject = '数学', hire_date = '2020-09-01' WHERE userid = 'zhangsan'`);
    // The sync saw the new userid (later than the rename), then the rename's callback is handled.
    await apply(contactXml("create_user", 300, "<UserID><![CDATA[zhangsan001]]></UserID><Name><![CDATA[张三]]></Name><Department>3</Department>"));
    await apply(contactXml("update_user", 200, "<UserID><![CDATA[zhangsan]]></UserID><NewUserID><![CDATA[zhangsan001]]></NewUserID><Department>2</Department>"));
    const rows = await db.dataSource.query(`SELECT userid, department_ids, subject, to_char(hire_date, 'YYYY-MM-DD') AS hire FROM staff`);
    // One member, HR's fields kept, the newer department (from t=300) kept.
    expect(rows).toEqual([{ userid: "zhangsan001", department_ids: [3], subject: "数学", hire: "2020-09-01" }]);
  });

  describe("a rename, a department change and a move apply in any order, any number of times", () => {
    const events = [
      contactXml("create_user", 100, "<UserID><![CDATA[li]]></UserID><Name><![CDATA[李老师]]></Name><Department><![CDATA[2]]></Department><MainDepartment>2</MainDepartment><Status>1</Status>"),
      contactXml("update_user", 200, "<UserID><![CDATA[li]]></UserID><NewUserID><![CDATA[li.na]]></NewUserID>"),
      contactXml("update_user", 300, "<UserID><![CDATA[li.na]]></UserID><Department><![CDATA[3,4]]></Department><MainDepartment>3</MainDepartment>"),
      contactXml("update_party", 400, "<Id>3</Id><ParentId><![CDATA[5]]></ParentId>"),
      contactXml("update_user", 500, "<UserID><![CDATA[li.na]]></UserID><Name><![CDATA[李娜]]></Name><Position><![CDATA[班主任]]></Position>"),
    ];
    const base = [
      contactXml("create_party", 10, "<Id>1</Id><Name><![CDATA[总部]]></Name><ParentId>0</ParentId><Order>1</Order>"),
      contactXml("create_party", 10, "<Id>2</Id><Name><![CDATA[徐汇]]></Name><ParentId>1</ParentId><Order>1</Order>"),
      contactXml("create_party", 10, "<Id>3</Id><Name><![CDATA[三年级]]></Name><ParentId>2</ParentId><Order>1</Order>"),
      contactXml("create_party", 10, "<Id>4</Id><Name><![CDATA[四年级]]></Name><ParentId>2</ParentId><Order>1</Order>"),
      contactXml("create_party", 10, "<Id>5</Id><Name><![CDATA[浦东]]></Name><ParentId>1</ParentId><Order>1</Order>"),
    ];
    const expected = {
      staff: [{ userid: "li.na", name: "李娜", department_ids: [3, 4], main_department: 3, position: "班主任", status: 1 }],
      paths: [
        [1, [1]],
        [2, [1, 2]],
        [3, [1, 5, 3]],
        [4, [1, 2, 4]],
        [5, [1, 5]],
      ],
    };

    it.each(permutations(events.map((_, i) => i)).map((order) => [order.join(""), order]))("order %s", async (_label, order) => {
      for (const xml of base) await apply(xml);
      for (const i of order as number[]) await apply(events[i]!);
      // Redelivered, in reverse: nothing changes.
      for (const i of [...(order as number[])].reverse()) await apply(events[i]!);
      expect(await staff()).toEqual(expected.staff);
      expect((await departments()).map((d) => [d.id, d.path])).toEqual(expected.paths);
    });
  });
});
