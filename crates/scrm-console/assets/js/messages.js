// The server's 400 messages in the console's language. The API names the parameter and the
// reason in English (`customerPhone: must be a phone number of 5 to 20 digits`, the wire
// contract for every client); a person using the console reads them in Chinese: the reason
// beside the field it names, or the field's label and the reason where no field shows it. A
// message this table does not know (or one the server already wrote in Chinese, such as the
// spec's own texts) is shown as the server sent it.

/** The labels of the parameters a person can get wrong in the console. */
const LABELS = {
  customerName: "客戶名",
  customerPhone: "手機號",
  nickName: "微信昵稱",
  remarks: "客戶備註",
  tags: "標籤",
  tagIds: "標籤",
  phone: "電話",
  beginTime: "開始時間",
  endTime: "結束時間",
  loginName: "帳號",
  password: "密碼",
  pageNo: "頁碼",
  limit: "每頁條數",
  nickNames: "個性稱呼",
  custName: "客戶稱呼",
  q: "搜索",
};
for (let i = 1; i <= 10; i += 1) LABELS[`xfield${i}`] = `自定義字段${i}`;

/** Each known reason, matched whole, and its Chinese. */
const REASONS = [
  [/^is required$/, () => "不能為空"],
  [/^at most (\d+) characters$/, (n) => `最多 ${n} 個字`],
  [/^must be a phone number of (\d+) to (\d+) digits$/, (a, b) => `須是 ${a} 至 ${b} 位數字的電話號碼`],
  [/^must contain digits$/, () => "須包含數字"],
  [/^unknown tag ids (.+)$/, (ids) => `標籤不存在（${ids}）`],
  [/^is not the contact of this customer$/, () => "不是這位客戶的聯繫人"],
  [/^customerId or wechatContactId is required$/, () => "須指明客戶"],
  [/^must not be after endTime$/, () => "不能晚於結束時間"],
  [/^must be yyyy-MM-dd HH:mm:ss, yyyy-MM-dd or epoch milliseconds$/, () => "須是 yyyy-MM-dd HH:mm:ss 或 yyyy-MM-dd 格式的時間"],
  [/^must be an integer$/, () => "須是整數"],
  [/^is out of range$/, () => "超出範圍"],
  [/^must be between (\d+) and (\d+)$/, (a, b) => `須在 ${a} 至 ${b} 之間`],
  [/^must be 1 or more$/, () => "須大於等於 1"],
  [/^must be 0 or 1$/, () => "須是 0 或 1"],
  [/^must be a comma-separated list of integers$/, () => "須是以逗號分隔的整數"],
  [/^at most (\d+) (?:ids|entries)$/, (n) => `最多 ${n} 項`],
  [/^must be any, all or none$/, () => "須是「任一」「全部」或「都沒有」"],
  [/^must have at least (\d+) characters$/, (n) => `至少 ${n} 個字`],
  [/^must have at most (\d+) bytes$/, (n) => `最多 ${n} 個字節`],
  [/^must be a string$/, () => "須是文字"],
];

/**
 * A 400's message read: `{ param, reason, text }`, where `param` is the parameter it names
 * (or null), `reason` the reason in Chinese (for beside that field) and `text` the whole
 * message for a person (the field's label and the reason). Unknown messages keep the
 * server's text in both. An item of a list is named by its path (`nickNames[1].custName`):
 * `param` keeps the path, the label is its last field's.
 */
export function readMessage(message) {
  const msg = message || "";
  const m = /^([A-Za-z][A-Za-z0-9_]*(?:\[\d+\])?(?:\.[A-Za-z][A-Za-z0-9_]*)*)\s*:\s*(.*)$/s.exec(msg);
  if (!m) return { param: null, reason: msg, text: msg };
  const [, param, why] = m;
  const field = param.split(".").pop().replace(/\[\d+\]$/, "");
  for (const [pattern, say] of REASONS) {
    const r = pattern.exec(why);
    if (r) {
      const reason = say(...r.slice(1));
      return { param, reason, text: `${LABELS[field] || field}：${reason}` };
    }
  }
  return { param, reason: msg, text: msg };
}
