<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>Settings</name>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="19" />
        <source>Special-grade important user</source>
        <extracomment>Item labels of the mappings by important-customer grade (the texts of ``domain.enums.ImportantGrade``, written out for pyside6-lupdate; tests/test_i18n.py compares).</extracomment>
        <translation>特级重要电力用户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="20" />
        <source>First-grade important user</source>
        <translation>一级重要电力用户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="21" />
        <source>Second-grade important user</source>
        <translation>二级重要电力用户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="22" />
        <source>Temporary important user</source>
        <translation>临时性重要电力用户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="30" />
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="31" />
        <source>Central server URL; empty means work offline only</source>
        <translation>中心服务器地址(https://…);留空表示只在本机离线工作</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="37" />
        <source>Account name</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="38" />
        <source>Account name on the central server</source>
        <translation>在中心服务器上的账号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="44" />
        <source>Sync every (seconds)</source>
        <translation>同步间隔(秒)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="45" />
        <source>Background sync period when online</source>
        <translation>在线时后台同步的周期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="53" />
        <source>Sync after an edit (seconds)</source>
        <translation>修改后同步(秒)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="54" />
        <source>Sync this many seconds after a local edit (0 = timer only)</source>
        <translation>本机修改后过这么多秒同步一次(0 = 只按周期同步)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="62" />
        <source>Longest retry wait while the server is down (seconds)</source>
        <translation>服务器不可用时最长重试间隔(秒)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="63" />
        <source>Longest wait between retries while the server is down</source>
        <translation>服务器不可用时,两次重试之间最长等待的秒数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="71" />
        <source>CA certificate file (PEM)</source>
        <translation>CA 证书文件(PEM)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="72" />
        <source>CA certificate (PEM) to trust for the server's TLS; empty = system CAs</source>
        <translation>校验服务器 TLS 证书时信任的 CA 证书(PEM);留空使用系统 CA</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="80" />
        <source>Allow plain http to another computer</source>
        <translation>允许明文 http 连接其他计算机</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="81" />
        <source>Allow plain http:// to a server on another computer (trusted test networks only)</source>
        <translation>允许用 http:// 连接其他计算机上的服务器(仅限可信的测试网络)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="89" />
        <source>Server user id of the signed-in account</source>
        <translation>已登录账号的服务器用户编号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="90" />
        <source>Server user id of the signed-in account (whose data this folder holds)</source>
        <translation>本数据文件夹所属账号在服务器上的用户编号(登录时写入)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="98" />
        <source>Company</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="99" />
        <source>Company name printed on every document</source>
        <translation>印在每份文书上的单位名称</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="105" />
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="106" />
        <source>Issuing department</source>
        <translation>发文部门</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="112" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="113" />
        <source>Address line on documents</source>
        <translation>文书上的地址行</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="119" />
        <source>Service hotline</source>
        <translation>服务热线</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="120" />
        <source>Service hotline printed on documents</source>
        <translation>文书上印的服务热线</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="126" />
        <source>Logo (PNG or JPEG)</source>
        <translation>徽标(PNG 或 JPEG)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="127" />
        <source>Optional logo image (PNG or JPEG) for the letterhead</source>
        <translation>信头上的徽标图片(可不填)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="133" />
        <source>Document verification address</source>
        <translation>文书查验网址</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="134" />
        <source>Public address of the central server's verification page (https://…); the QR code of a document opens &lt;address&gt;/verify/&lt;number&gt;. Empty: the QR holds number and code only</source>
        <translation>中心服务器查验页面的公网地址(https://…);文书二维码打开 &lt;地址&gt;/verify/&lt;编号&gt;。留空:二维码只含编号和校验码</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="144" />
        <source>Visit every N days, by class</source>
        <translation>按客户分级的走访周期(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="145" />
        <source>Visit every N days by pyramid class</source>
        <translation>按金字塔分级,每隔多少天走访一次</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="150" />
        <source>Class A</source>
        <translation>A 类</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="151" />
        <source>Class B</source>
        <translation>B 类</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="152" />
        <source>Class C</source>
        <translation>C 类</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="153" />
        <source>Class D</source>
        <translation>D 类</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="159" />
        <source>Visit every N days, by important-user grade</source>
        <translation>按重要用户等级的走访周期(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="160" />
        <source>Visit every N days by important-customer grade (the shorter of class and grade wins)</source>
        <translation>按重要电力用户等级,每隔多少天走访一次(与分级周期取较短者)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="172" />
        <source>Referral answer time (working days)</source>
        <translation>转办答复时限(工作日)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="173" />
        <source>Working days a team has to answer, by kind (complaints: contact within 1 working day)</source>
        <translation>后台专业部门答复转办事项的工作日数,按类别(投诉:1 个工作日内联系客户)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="181" />
        <source>Demand</source>
        <translation>诉求</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="182" />
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="189" />
        <source>Warn when working days left</source>
        <translation>剩余工作日数时预警</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="190" />
        <source>Warn when a time limit has this many working days left</source>
        <translation>时限只剩这么多个工作日时提醒</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="211" />
        <source>Time limits (working days)</source>
        <translation>办理时限(工作日)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="212" />
        <source>Utility time limits in working days, by key (templates refer to these keys)</source>
        <translation>供电企业的办理时限(工作日),告知单模板按这些键引用</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="219" />
        <source>Plan reply, HV single source</source>
        <translation>供电方案答复(高压单电源)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="220" />
        <source>Plan reply, HV dual source</source>
        <translation>供电方案答复(高压双电源)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="221" />
        <source>Plan reply, LV</source>
        <translation>供电方案答复(低压)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="222" />
        <source>Plan reply, residential</source>
        <translation>供电方案答复(居民)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="223" />
        <source>Design review</source>
        <translation>设计审核</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="224" />
        <source>Mid-construction check</source>
        <translation>中间检查</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="225" />
        <source>Completion check</source>
        <translation>竣工检验</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="226" />
        <source>Metering and energising</source>
        <translation>装表接电</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="227" />
        <source>Metering and energising, residential</source>
        <translation>装表接电(居民)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="230" />
        <source>Total utility time, HV single source</source>
        <translation>供电企业总时长(高压单电源)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="233" />
        <source>Total utility time, HV dual source</source>
        <translation>供电企业总时长(高压双电源)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="236" />
        <source>Total utility time, LV</source>
        <translation>供电企业总时长(低压)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="255" />
        <source>Terms told to the customer (not counted down)</source>
        <translation>客户须知期限(告知客户,不倒计时)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="256" />
        <source>Rules told to the customer (lead times, durations, counts; the unit is in the key): printed on checklists, never counted down as utility deadlines</source>
        <translation>告知客户的规则(提前天数、期限、次数,单位见名称):印在告知单上,不作为供电企业时限倒计时</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="264" />
        <source>Ask for the mid-construction check ahead (days)</source>
        <translation>提前预约中间检查(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="267" />
        <source>Apply for a capacity reduction ahead (days)</source>
        <translation>减容提前申请(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="270" />
        <source>Capacity reduction, shortest (months)</source>
        <translation>减容最短期限(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="273" />
        <source>Capacity reduction, longest (years)</source>
        <translation>减容最长期限(年)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="274" />
        <source>Apply for a suspension ahead (days)</source>
        <translation>暂停提前申请(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="277" />
        <source>Suspensions per calendar year, at most</source>
        <translation>每一日历年暂停次数上限</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="280" />
        <source>Each suspension, shortest (days)</source>
        <translation>每次暂停最短(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="281" />
        <source>Suspension per year in total, longest (months)</source>
        <translation>每年累计暂停最长(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="284" />
        <source>Temporary transformer swap up to 10 kV (months)</source>
        <translation>暂换期限 10 千伏及以下(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="287" />
        <source>Temporary transformer swap from 35 kV (months)</source>
        <translation>暂换期限 35 千伏及以上(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="290" />
        <source>Temporary removal, longest (months)</source>
        <translation>暂拆最长期限(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="293" />
        <source>Temporary supply, longest (months)</source>
        <translation>临时用电最长期限(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="302" />
        <source>Supply plan validity (months)</source>
        <translation>供电方案有效期(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="303" />
        <source>Validity of a supply plan in months (HV / LV)</source>
        <translation>供电方案的有效期,高压 / 低压</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="308" />
        <source>High voltage</source>
        <translation>高压</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="309" />
        <source>Low voltage</source>
        <translation>低压</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="315" />
        <source>Power sources required by grade</source>
        <translation>重要用户应有的电源数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="316" />
        <source>Independent power sources required per important-customer grade</source>
        <translation>各级重要电力用户应具备的独立电源数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="333" />
        <source>Power-factor standards</source>
        <translation>功率因数考核标准</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="334" />
        <source>Power-factor standards and the capacity thresholds they apply from</source>
        <translation>功率因数考核标准及其适用的容量起点</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="341" />
        <source>HV industrial users from (kVA)</source>
        <translation>高压工业用户容量起点(kVA)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="342" />
        <source>HV industrial standard</source>
        <translation>高压工业用户标准</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="343" />
        <source>Other users from (kVA)</source>
        <translation>其他用户容量起点(kVA)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="344" />
        <source>Other users' standard</source>
        <translation>其他用户标准</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="345" />
        <source>Agriculture standard</source>
        <translation>农业用户标准</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="352" />
        <source>Planned outage notice (days ahead)</source>
        <translation>计划停电提前通知(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="353" />
        <source>A planned outage must be notified this many days ahead</source>
        <translation>计划停电须提前这么多天通知</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="361" />
        <source>Temporary outage notice (hours ahead)</source>
        <translation>临时停电提前通知(小时)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="362" />
        <source>A temporary outage must be notified this many hours ahead</source>
        <translation>临时停电须提前这么多小时通知</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="370" />
        <source>Repair crew arrival (minutes)</source>
        <translation>抢修到达时限(分钟)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="371" />
        <source>Repair commitment printed on fault-outage notices: minutes until the crew arrives (urban / rural / remote)</source>
        <translation>故障停电通知上印的抢修承诺:抢修人员到达现场的分钟数(城区 / 农村 / 边远地区)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="379" />
        <source>Urban</source>
        <translation>城区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="380" />
        <source>Rural</source>
        <translation>农村</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="381" />
        <source>Remote</source>
        <translation>边远地区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="387" />
        <source>Planned outage notice delivered at least (days)</source>
        <translation>计划停电通知最迟送达(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="388" />
        <source>A planned outage's notice delivered less than this many days before it is refused unless the manager confirms it was late</source>
        <translation>计划停电通知送达时距停电不足这么多天的,除非客户经理确认迟送,否则不予登记</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="399" />
        <source>Remind before the outage (minutes)</source>
        <translation>停电前提醒(分钟)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="400" />
        <source>Remind customers this many minutes before the outage</source>
        <translation>停电前这么多分钟提醒客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="409" />
        <source>Pyramid classification by</source>
        <translation>金字塔分级依据</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="410" />
        <source>Classify by the last 12 months' 'consumption' (kWh), 'revenue' or 'profit' (yuan)</source>
        <translation>按最近 12 个月的用电量(千瓦时)、电费收入或利润(元)分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="416" />
        <source>Consumption</source>
        <translation>用电量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="417" />
        <source>Revenue</source>
        <translation>电费收入</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="418" />
        <source>Profit</source>
        <translation>利润</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="424" />
        <source>Average cost per kWh (yuan)</source>
        <translation>平均购电及输配成本(元/千瓦时)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="425" />
        <source>Average purchase and grid cost per kWh (yuan): profit = revenue - kWh x this</source>
        <translation>每千瓦时平均购电及输配成本(元):利润 = 电费收入 − 电量 × 此值</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="435" />
        <source>Re-evaluate the pyramid after (months)</source>
        <translation>重新分级提醒(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="436" />
        <source>Remind to re-evaluate the pyramid after N months</source>
        <translation>距上次分级这么多个月后提醒重新分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="444" />
        <source>A/B/C cumulative-share cut-offs</source>
        <translation>A/B/C 类累计占比分界</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="445" />
        <source>Cumulative-share cut-offs for A/B/C (rising, 0–1); the rest is D</source>
        <translation>A、B、C 类的累计占比分界(依次递增,0–1);其余为 D 类</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="455" />
        <source>Sharp change in consumption (share)</source>
        <translation>电量大幅变化比例</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="456" />
        <source>首页 lists customers whose last 3 months' kWh changed more than this share year on year</source>
        <translation>首页列出最近 3 个月电量同比变化超过此比例的客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="467" />
        <source>Basic charge</source>
        <translation>基本电费</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="468" />
        <source>Basic charge: capacity_price 元/kVA·月, demand_price 元/kW·月, demand_floor_share (declared demand at least this share of capacity), demand_tolerance (excess above it billed excess_factor times), declared_step_kw</source>
        <translation>基本电费:容量电价 元/kVA·月,需量电价 元/kW·月,核定需量下限(占容量比例),超需量容差(超出部分按加价倍数计收),核定需量取整步长 kW</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="476" />
        <source>Capacity price (yuan/kVA·month)</source>
        <translation>容量电价(元/kVA·月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="477" />
        <source>Demand price (yuan/kW·month)</source>
        <translation>需量电价(元/kW·月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="478" />
        <source>Declared demand floor (share of capacity)</source>
        <translation>核定需量下限(占容量)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="481" />
        <source>Demand tolerance</source>
        <translation>超需量容差</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="482" />
        <source>Excess demand factor</source>
        <translation>超需量加价倍数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="483" />
        <source>Declared demand step (kW)</source>
        <translation>核定需量步长(kW)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="489" />
        <source>Capacity advice</source>
        <translation>减容/暂停/增容建议</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="490" />
        <source>Load-rate thresholds of the 减容/暂停/增容 advice and the months of history it needs</source>
        <translation>减容、暂停、增容建议的负荷率门槛,以及需要的历史月数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="498" />
        <source>Months of history needed</source>
        <translation>至少需要的月数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="499" />
        <source>Advise a reduction below load rate</source>
        <translation>负荷率低于此值建议减容</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="502" />
        <source>Target load rate after a reduction</source>
        <translation>减容后目标负荷率</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="505" />
        <source>Advise a suspension below load rate</source>
        <translation>负荷率低于此值建议暂停</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="508" />
        <source>Advise an increase from load rate</source>
        <translation>负荷率达到此值建议增容</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="515" />
        <source>Credit score rules</source>
        <translation>信用评分规则</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="516" />
        <source>Credit score: start points and the deduction (and cap) per indicator</source>
        <translation>信用评分:起始分,以及每项指标的扣分(和扣分上限)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="523" />
        <source>Start points</source>
        <translation>起始分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="524" />
        <source>Per % of recovery rate missing</source>
        <translation>电费回收率每低 1%扣分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="525" />
        <source>Recovery deduction cap</source>
        <translation>回收率扣分上限</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="526" />
        <source>Per % of on-time payment missing</source>
        <translation>按时缴费率每低 1%扣分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="527" />
        <source>On-time deduction cap</source>
        <translation>按时缴费扣分上限</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="528" />
        <source>Per overdue payment</source>
        <translation>每次逾期扣分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="529" />
        <source>Overdue count cap</source>
        <translation>逾期次数扣分上限</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="530" />
        <source>Per overdue day</source>
        <translation>每逾期 1 天扣分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="531" />
        <source>Overdue days cap</source>
        <translation>逾期天数扣分上限</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="532" />
        <source>Per violation</source>
        <translation>每次违约用电扣分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="533" />
        <source>Violation cap</source>
        <translation>违约用电扣分上限</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="534" />
        <source>High-energy industry</source>
        <translation>高耗能行业扣分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="535" />
        <source>Operating trouble</source>
        <translation>经营困难扣分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="536" />
        <source>Consumption decline below (year on year)</source>
        <translation>电量下降门槛(同比)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="537" />
        <source>Consumption decline</source>
        <translation>电量下降扣分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="543" />
        <source>Lowest score per credit rating</source>
        <translation>信用等级最低分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="544" />
        <source>Lowest score of each credit rating (else C)</source>
        <translation>各信用等级的最低分(低于 B 为 C)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="552" />
        <source>Arrears risk thresholds</source>
        <translation>欠费风险门槛</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="553" />
        <source>Arrears risk: high/medium from these overdue days or amounts (yuan)</source>
        <translation>欠费风险:达到这些逾期天数或金额(元)即为高 / 中风险</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="560" />
        <source>High risk from overdue days</source>
        <translation>高风险逾期天数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="561" />
        <source>High risk from amount (yuan)</source>
        <translation>高风险欠费金额(元)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="562" />
        <source>Medium risk from overdue days</source>
        <translation>中风险逾期天数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="563" />
        <source>Medium risk from amount (yuan)</source>
        <translation>中风险欠费金额(元)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="569" />
        <source>Payment reminder: pay within (days)</source>
        <translation>催缴通知缴费期限(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="570" />
        <source>A payment reminder asks for payment within N days</source>
        <translation>电费催缴通知单要求在这么多天内缴清</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="578" />
        <source>Notice before suspending for arrears (days)</source>
        <translation>欠费停电提前书面通知(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="579" />
        <source>Written notice given this many days before supply is suspended for arrears (provincial)</source>
        <translation>因欠费停电前须提前这么多天书面通知(本省规定)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="591" />
        <source>Public holidays</source>
        <translation>法定节假日</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="592" />
        <source>Public holidays (YYYY-MM-DD) that are not working days</source>
        <translation>不算工作日的法定节假日(YYYY-MM-DD)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="598" />
        <source>Weekend working days (调休)</source>
        <translation>调休上班的周末</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="599" />
        <source>Weekend days that are working days (调休)</source>
        <translation>调休上班、算作工作日的周末</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="605" />
        <source>Years entered from the official notice</source>
        <translation>已录入国务院通知的年份</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="606" />
        <source>Years whose official notice the administrator entered above: their days replace the bundled data (other years: bundled files in resources/calendar, or an estimate)</source>
        <translation>管理员已按国务院放假通知录入上面日期的年份:这些年份以设置为准(其他年份用 resources/calendar 中随附的数据或估算)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="618" />
        <source>User interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="619" />
        <source>UI language: zh_CN (default) or en</source>
        <translation>界面语言:简体中文(默认)或英文</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="627" />
        <source>Consumption shown in</source>
        <translation>用电量显示单位</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="628" />
        <source>Unit of consumption shown: 10,000 kWh (万千瓦时) or kWh</source>
        <translation>界面上用电量的单位:万千瓦时或千瓦时</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="631" />
        <source>10,000 kWh</source>
        <translation>万千瓦时</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="632" />
        <source>kWh</source>
        <translation>千瓦时</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="638" />
        <source>Stretch UI texts (layout check)</source>
        <translation>加长界面文字(检查布局)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="639" />
        <source>Pad UI strings to test layouts for longer translations</source>
        <translation>把界面文字加长,检查更长的译文是否放得下(供翻译和测试)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="645" />
        <source>Hidden table columns</source>
        <translation>隐藏的表格列</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="646" />
        <source>Table columns each user hid: {user: {table: [column names]}}</source>
        <translation>每个用户隐藏的表格列:{用户: {表格: [列名]}}</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="652" />
        <source>Lock after idle minutes (0 = never)</source>
        <translation>空闲多少分钟后锁定(0 = 从不)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="653" />
        <source>Lock the app after this many idle minutes (0 = never)</source>
        <translation>空闲这么多分钟后锁定程序(0 = 从不)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="661" />
        <source>Shortest passphrase</source>
        <translation>口令最短长度</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="662" />
        <source>Shortest passphrase accepted for a new store key</source>
        <translation>新建数据密钥时接受的最短口令长度</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="670" />
        <source>Largest attachment (MB)</source>
        <translation>附件大小上限(MB)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="671" />
        <source>Largest attachment accepted, in MB</source>
        <translation>可接受的最大附件,单位 MB</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="679" />
        <source>Backups kept</source>
        <translation>保留的备份份数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="680" />
        <source>How many rotating backups of the local store to keep</source>
        <translation>本机数据滚动备份保留的份数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="688" />
        <source>Automatic backup every (hours)</source>
        <translation>自动备份间隔(小时)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/catalog.py" line="689" />
        <source>Take an automatic backup on start/exit if the last is older</source>
        <translation>启动或退出时,若上次备份早于这么多小时,则自动备份</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/options.py" line="72" />
        <source>Server</source>
        <extracomment>The key under which the settings file records the version of its layout. The translation context of every text of the settings (labels, help, choices, tabs). The translation file those texts are extracted into (area ``settings`` of tools/i18n.py). The tabs of the settings dialog, in order: group key -&gt; title.</extracomment>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/options.py" line="73" />
        <source>Letterhead</source>
        <translation>信头</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/options.py" line="74" />
        <source>Visit frequencies</source>
        <translation>走访周期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/options.py" line="75" />
        <source>Time limits</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/options.py" line="76" />
        <source>Supply plans</source>
        <translation>供电方案</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/options.py" line="77" />
        <source>Outage notices</source>
        <translation>停电通知</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/options.py" line="78" />
        <source>Consumption and billing</source>
        <translation>用电与电费</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/options.py" line="79" />
        <source>Credit and arrears</source>
        <translation>信用与欠费</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/options.py" line="80" />
        <source>Holiday calendar</source>
        <translation>节假日日历</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/options.py" line="81" />
        <source>Language and units</source>
        <translation>语言和单位</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/settings/options.py" line="82" />
        <source>Security and backup</source>
        <translation>安全与备份</translation>
    </message>
</context>
</TS>