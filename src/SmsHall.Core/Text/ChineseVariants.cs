using System.Collections.Frozen;

namespace SmsHall.Core.Text;

/// <summary>
/// Folds traditional Chinese characters to simplified ones, so 餘額 and 余额, 帳單 and 账单 are the
/// same word. The table covers the characters subscribers use when they write to the service hall
/// (accounts, money, plans, time, languages, politeness); a character it does not know is kept.
/// Written by hand: no conversion library (OpenCC and the like) is on our package registry.
/// </summary>
public static class ChineseVariants
{
    // Each pair: traditional, then simplified. The last, 帐, is simplified too, but subscribers mean
    // 账 (account) when they write 帐单.
    private const string Pairs =
        "餘余額额帳账賬账單单話话費费請请詢询問问確确認认個个換换語语幫帮開开訂订閱阅資资號号碼码務务點点" +
        "數数據据劃划計计條条網网絡络設设還还關关麼么為为們们這这裡里嗎吗謝谢體体簡简儲储續续買买戶户產产" +
        "給给說说錢钱當当現现總总辦办選选擇择變变價价與与歷历業业專专門门聯联繫系係系結结實实發发電电態态" +
        "狀状國国際际遊游優优動动長长時时間间區区級级歡欢來来啟启復复讓让幾几後后對对沒没錯错準准備备註注" +
        "銷销協协項项應应該该見见詳详細细紀纪錄录記记類类週周報报標标兩两萬万億亿塊块鐘钟頁页約约簽签幣币" +
        "圓圆漢汉華华臺台廣广聽听寫写讀读機机賣卖貴贵繳缴納纳張张從从過过經经麵面餵喂訊讯無无線线鍵键盤盘" +
        "戲戏樂乐觀观歲岁錶表壞坏頭头顯显種种車车處处傳传輸输載载雲云愛爱煩烦訴诉況况將将" +
        "掛挂題题囉啰鎖锁盜盗竊窃護护驗验議议滿满遺遗" +
        "積积薦荐兌兑禮礼紹绍擊击鈴铃聞闻" +
        "帐账";

    private static readonly FrozenDictionary<char, char> Map = Build();

    public static char Simplify(char c) => c < '\u3400' ? c : Map.GetValueOrDefault(c, c);

    private static FrozenDictionary<char, char> Build()
    {
        var map = new Dictionary<char, char>();
        for (var i = 0; i + 1 < Pairs.Length; i += 2) map[Pairs[i]] = Pairs[i + 1];
        return map.ToFrozenDictionary();
    }
}
